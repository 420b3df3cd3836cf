import { LineCounter, parseDocument } from 'yaml';

/**
 * Line of the value at `path` in a JSON text, or undefined. Only called on the error path: JSON
 * is (for our purposes) YAML, and the yaml parser keeps source ranges that JSON.parse throws away.
 */
export function lineOfJsonPath(text: string, path: readonly PropertyKey[]): number | undefined {
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
    // Walk up the path until a node exists: a missing field is reported at its parent.
    for (let depth = path.length; depth >= 0; depth--) {
      const keys = path.slice(0, depth).map((key) => (typeof key === 'symbol' ? String(key) : key));
      const node = depth === 0 ? doc.contents : doc.getIn(keys, true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range) return lineCounter.linePos(range[0]).line;
    }
  } catch {
    // Locating is best effort; the caller still reports the path.
  }
  return undefined;
}
