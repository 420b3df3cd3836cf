import { InputError } from '../../../util/errors.ts';
import { MAX_XML_DEPTH } from '../limits.ts';
import { LineIndex } from './lines.ts';

/** An element of a parsed XML document: enough of XML for build manifests (pom.xml). */
export interface XmlElement {
  name: string;
  line: number;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * A small, linear XML reader. Refuses DTDs outright (no entity expansion, no external entities),
 * limits nesting depth, and ignores attributes, comments and processing instructions.
 */
export function parseXml(text: string, file: string): XmlElement {
  const lines = new LineIndex(text);
  const fail = (message: string, offset: number): never => {
    throw new InputError('XML_SYNTAX', `${file}: not valid XML: ${message}`, {
      file,
      line: lines.lineAt(offset),
    });
  };
  const decode = (raw: string, offset: number): string =>
    raw.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{1,8});?/g, (whole, entity: string) => {
      if (!whole.endsWith(';')) fail(`unterminated entity ${whole}`, offset);
      if (entity.startsWith('#')) {
        const code = entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
        if (code > 0x10ffff) fail(`bad character reference ${whole}`, offset);
        return String.fromCodePoint(code);
      }
      const value = ENTITIES[entity];
      if (value === undefined) fail(`unknown entity ${whole}`, offset);
      return value as string;
    });

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      const chunk = text.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decode(chunk, i);
      else if (chunk.trim() !== '') fail('text outside the root element', i);
    }
    if (lt === -1) break;
    const closeAfter = (marker: string, from: number, what: string): number => {
      const at = text.indexOf(marker, from);
      if (at === -1) fail(`unterminated ${what}`, lt);
      return at + marker.length;
    };
    if (text.startsWith('<?', lt)) {
      i = closeAfter('?>', lt + 2, 'processing instruction');
    } else if (text.startsWith('<!--', lt)) {
      i = closeAfter('-->', lt + 4, 'comment');
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = closeAfter(']]>', lt + 9, 'CDATA section');
      const top = stack[stack.length - 1];
      if (!top) fail('CDATA outside the root element', lt);
      else top.text += text.slice(lt + 9, end - 3);
      i = end;
    } else if (text.startsWith('<!', lt)) {
      fail('DTDs and declarations are not accepted', lt);
    } else if (text.startsWith('</', lt)) {
      const end = closeAfter('>', lt + 2, 'end tag');
      const name = text.slice(lt + 2, end - 1).trim();
      const top = stack.pop();
      if (!top || top.name !== name)
        fail(`</${name}> does not close ${top ? `<${top.name}>` : 'any element'}`, lt);
      i = end;
    } else {
      // Start tag: find the closing '>' outside attribute quotes.
      let j = lt + 1;
      let quote = 0;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 34 || c === 39) quote = c;
        else if (c === 62) break;
        j++;
      }
      if (j >= n) fail('unterminated start tag', lt);
      const selfClosing = text.charCodeAt(j - 1) === 47;
      const body = text.slice(lt + 1, selfClosing ? j - 1 : j);
      const name = /^[^\s/>]+/.exec(body)?.[0];
      if (!name) fail('start tag without a name', lt);
      const element: XmlElement = { name: name as string, line: lines.lineAt(lt), children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) fail('more than one root element', lt);
      else root = element;
      if (!selfClosing) {
        stack.push(element);
        if (stack.length > MAX_XML_DEPTH) fail(`elements nested deeper than ${MAX_XML_DEPTH}`, lt);
      }
      i = j + 1;
    }
  }
  const open = stack[stack.length - 1];
  if (open) fail(`<${open.name}> is never closed`, n);
  if (!root) fail('no root element', 0);
  return root as XmlElement;
}

/** Local name without a namespace prefix. */
function local(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => local(c.name) === name);
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((c) => local(c.name) === name) : [];
}

export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  const value = found?.text.trim();
  return value === undefined || value === '' ? undefined : value;
}
