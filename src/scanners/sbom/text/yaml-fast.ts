/**
 * A fast reader for the plain block YAML that package managers write (pnpm-lock.yaml, yarn berry
 * lockfiles): block mappings, `- scalar` sequences, one-line flow collections, plain and quoted
 * scalars. It gives the same values as the `yaml` package's core schema on what it accepts and
 * returns undefined on anything else (anchors, aliases, tags, block scalars, multi-line scalars,
 * tabs, documents markers, ...), so callers fall back to the full parser, which also reports
 * errors. One pass over the lines; no backtracking.
 */

type Container = Record<string, unknown> | unknown[];

export interface FastYaml {
  value: unknown;
  /** Line of each key, per mapping object. */
  lines: WeakMap<object, Map<string, number>>;
}

const BAIL = Symbol('bail');
type Parsed = unknown | typeof BAIL;

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  // Never let a key named __proto__ reach the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const NULLS = new Set(['~', 'null', 'Null', 'NULL', '']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core schema resolution of a plain scalar (what `yaml` does by default). */
function plainValue(text: string): unknown {
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return true;
  if (FALSES.has(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text))
    return Number.parseFloat(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return Number.NaN;
  return text;
}

/** A plain key as `yaml`'s toJS names it: resolved as a scalar, then turned into a string. */
function plainKey(text: string): string {
  const value = plainValue(text);
  return value === null ? '' : String(value);
}

/** Characters a plain scalar may not start with (YAML indicators), plus what we choose not to handle. */
const PLAIN_START_BAIL = /^(?:[,[\]{}#&*!|>'"%@`]|[-?:](?:[ ,[\]{}]|$))/;

class LineReader {
  readonly text: string;
  pos = 0;
  constructor(text: string) {
    this.text = text;
  }
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  skipSpaces(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
}

function singleQuoted(r: LineReader): Parsed {
  let out = '';
  r.pos++;
  for (;;) {
    const close = r.text.indexOf("'", r.pos);
    if (close === -1) return BAIL;
    out += r.text.slice(r.pos, close);
    r.pos = close + 1;
    if (r.text[r.pos] === "'") {
      out += "'";
      r.pos++;
      continue;
    }
    return out;
  }
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
};

function doubleQuoted(r: LineReader): Parsed {
  let out = '';
  r.pos++;
  while (r.pos < r.text.length) {
    const c = r.text[r.pos]!;
    if (c === '"') {
      r.pos++;
      return out;
    }
    if (c === '\\') {
      const e = r.text[r.pos + 1] ?? '';
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        r.pos += 2;
        continue;
      }
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(r.text.slice(r.pos + 2, r.pos + 6))) {
        const code = Number.parseInt(r.text.slice(r.pos + 2, r.pos + 6), 16);
        if (code >= 0xd800 && code <= 0xdfff) return BAIL;
        out += String.fromCharCode(code);
        r.pos += 6;
        continue;
      }
      return BAIL;
    }
    out += c;
    r.pos++;
  }
  return BAIL;
}

/** A scalar or flow collection inside a flow collection; stops at `,`, `]`, `}` (and `:` for keys). */
function flowItem(r: LineReader, isKey: boolean): Parsed {
  r.skipSpaces();
  const c = r.peek();
  if (c === "'") return singleQuoted(r);
  if (c === '"') return doubleQuoted(r);
  if (c === '{') return flowMap(r);
  if (c === '[') return flowSeq(r);
  const start = r.pos;
  while (r.pos < r.text.length) {
    const ch = r.text[r.pos]!;
    if (ch === ',' || ch === ']' || ch === '}') break;
    if (ch === '[' || ch === '{') return BAIL;
    // `:` ends a key only when a space, a flow indicator or the end follows (`a:b` is one scalar).
    if (ch === ':' && /^(?:[ ,[\]{}]|$)/.test(r.text[r.pos + 1] ?? '')) {
      if (isKey) break;
      return BAIL;
    }
    if (ch === '#' && r.text[r.pos - 1] === ' ') return BAIL;
    r.pos++;
  }
  const raw = r.text.slice(start, r.pos).trim();
  if (raw === '' || PLAIN_START_BAIL.test(raw)) return BAIL;
  return plainValue(raw);
}

function flowMap(r: LineReader): Parsed {
  const out: Record<string, unknown> = {};
  r.pos++;
  r.skipSpaces();
  if (r.peek() === '}') {
    r.pos++;
    return out;
  }
  for (;;) {
    const key = flowItem(r, true);
    if (key === BAIL || (typeof key === 'object' && key !== null)) return BAIL;
    // flowItem resolved a plain key as a scalar; toJS names it String(value), '' for null.
    r.skipSpaces();
    if (r.peek() !== ':') return BAIL;
    r.pos++;
    const value = flowItem(r, false);
    if (value === BAIL) return BAIL;
    setKey(out, key === null ? '' : String(key), value);
    r.skipSpaces();
    const next = r.peek();
    r.pos++;
    if (next === '}') return out;
    if (next !== ',') return BAIL;
    r.skipSpaces();
    if (r.peek() === '}') return BAIL; // trailing comma: leave to the full parser
  }
}

function flowSeq(r: LineReader): Parsed {
  const out: unknown[] = [];
  r.pos++;
  r.skipSpaces();
  if (r.peek() === ']') {
    r.pos++;
    return out;
  }
  for (;;) {
    const value = flowItem(r, false);
    if (value === BAIL) return BAIL;
    out.push(value);
    r.skipSpaces();
    const next = r.peek();
    r.pos++;
    if (next === ']') return out;
    if (next !== ',') return BAIL;
    r.skipSpaces();
    if (r.peek() === ']') return BAIL;
  }
}

/** The value after `key: ` or `- ` on a block line. */
function blockValue(text: string): Parsed {
  const r = new LineReader(text);
  const c = r.peek();
  let value: Parsed;
  if (c === "'") value = singleQuoted(r);
  else if (c === '"') value = doubleQuoted(r);
  else if (c === '{') value = flowMap(r);
  else if (c === '[') value = flowSeq(r);
  else {
    if (PLAIN_START_BAIL.test(text)) return BAIL;
    const hash = text.indexOf(' #');
    const raw = (hash === -1 ? text : text.slice(0, hash)).trimEnd();
    if (raw.includes(': ') || raw.endsWith(':') || raw.includes('\t')) return BAIL;
    return plainValue(raw);
  }
  if (value === BAIL) return BAIL;
  // Only a comment, separated by a space, may follow a quoted scalar or flow collection.
  const before = r.pos;
  r.skipSpaces();
  if (!r.done && (r.peek() !== '#' || r.pos === before)) return BAIL;
  return value;
}

/** A block mapping key: quoted or plain, followed by `:` and a space or the line end. */
function blockKey(text: string): { key: string; rest: string } | undefined {
  const r = new LineReader(text);
  const c = r.peek();
  let key: string;
  if (c === "'" || c === '"') {
    const parsed = c === "'" ? singleQuoted(r) : doubleQuoted(r);
    if (parsed === BAIL) return undefined;
    key = parsed as string;
    r.skipSpaces();
    if (r.peek() !== ':') return undefined;
  } else {
    if (PLAIN_START_BAIL.test(text)) return undefined;
    let at = text.indexOf(':');
    while (at !== -1 && at + 1 < text.length && text[at + 1] !== ' ') at = text.indexOf(':', at + 1);
    if (at <= 0) return undefined;
    const raw = text.slice(0, at).trimEnd();
    if (raw.includes(' #') || raw.includes('\t')) return undefined;
    key = plainKey(raw);
    r.pos = at;
  }
  r.pos++; // ':'
  if (!r.done && r.peek() !== ' ') return undefined;
  return { key, rest: r.text.slice(r.pos).trim() };
}

const UNUSUAL_CHARACTER = /[\u0000-\u001f\u007f\u0085\u00a0\u2028\u2029\ufeff]/;

interface Frame {
  indent: number;
  node: Container;
}

export function parseFastYaml(text: string): FastYaml | undefined {
  const lines = new WeakMap<object, Map<string, number>>();
  const root: Record<string, unknown> = {};
  lines.set(root, new Map());
  const stack: Frame[] = [];
  // A key whose value is on the following, more indented lines.
  let pending: { parent: Record<string, unknown>; key: string; indent: number } | undefined;
  let lineNo = 0;
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    const lastLine = end === -1;
    if (lastLine) end = n;
    // CRLF is a line break; a lone CR (even at the very end) is left to the full parser.
    const row =
      !lastLine && text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    lineNo++;
    // Control characters, tabs, BOMs and Unicode line or space separators: YAML treats some of
    // them as breaks or trims them differently from JavaScript, so leave those texts to `yaml`.
    if (UNUSUAL_CHARACTER.test(row)) return undefined;
    let indent = 0;
    while (row.charCodeAt(indent) === 32) indent++;
    const content = row.slice(indent);
    if (content === '' || content.startsWith('#')) continue;
    if (
      content.startsWith('\t') ||
      (indent === 0 && (content.startsWith('---') || content.startsWith('...')))
    ) {
      return undefined;
    }
    if (stack.length === 0) {
      if (indent !== 0) return undefined;
      stack.push({ indent: 0, node: root });
    }
    if (pending) {
      if (indent > pending.indent) {
        const node: Container = content === '-' || content.startsWith('- ') ? [] : {};
        if (!Array.isArray(node)) lines.set(node, new Map());
        setKey(pending.parent, pending.key, node);
        stack.push({ indent, node });
      }
      pending = undefined;
    }
    while (stack.length > 0 && stack[stack.length - 1]!.indent > indent) stack.pop();
    const top = stack[stack.length - 1];
    if (!top || top.indent !== indent) return undefined;
    if (Array.isArray(top.node)) {
      if (!content.startsWith('- ')) return undefined;
      const item = content.slice(2).trim();
      if (item === '' || blockKey(item) !== undefined) return undefined;
      const value = blockValue(item);
      if (value === BAIL) return undefined;
      top.node.push(value);
      continue;
    }
    const parsed = blockKey(content);
    if (!parsed) return undefined;
    const map = top.node;
    lines.get(map)!.set(parsed.key, lineNo);
    if (parsed.rest === '' || parsed.rest.startsWith('#')) {
      setKey(map, parsed.key, null);
      pending = { parent: map, key: parsed.key, indent };
      continue;
    }
    const value = blockValue(parsed.rest);
    if (value === BAIL) return undefined;
    setKey(map, parsed.key, value);
  }
  return { value: stack.length === 0 ? null : root, lines };
}
