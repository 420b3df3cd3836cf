import { type Document, LineCounter, parseDocument } from 'yaml';

/**
 * 1-based line of the node at `path` in a parsed YAML document; a path that does not exist is
 * reported at its deepest existing ancestor.
 */
export function lineOfNode(
  doc: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const keys = path.slice(0, depth).map((key) => (typeof key === 'symbol' ? String(key) : key));
    const node = depth === 0 ? doc.contents : doc.getIn(keys, true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return undefined;
}

/**
 * Line of the value at `path` in a JSON or YAML text, or undefined. Only called on the error path:
 * JSON is (for our purposes) YAML, and the yaml parser keeps source ranges that JSON.parse throws
 * away.
 */
export function lineOfTextPath(text: string, path: readonly PropertyKey[]): number | undefined {
  try {
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
    return lineOfNode(doc, counter, path);
  } catch {
    // Locating is best effort; the caller still reports the path.
    return undefined;
  }
}
