import { type Document, isMap, isSeq, type LineCounter, type Node } from 'yaml';

/**
 * Finds the 1-based line of a path in a parsed YAML document: the key's line for a field name,
 * the node's own line for an index; falls back to the deepest existing ancestor.
 */
export function lineOfPath(
  doc: Document,
  lineCounter: LineCounter,
  path: ReadonlyArray<PropertyKey>,
  key?: string,
): number | undefined {
  let node: unknown = doc.contents;
  let line = rangeLine(node, lineCounter);
  const fullPath = key === undefined ? path : [...path, key];
  for (const segment of fullPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      line = rangeLine(pair.key, lineCounter) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      line = rangeLine(item, lineCounter) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

function keyText(key: unknown): string | undefined {
  if (key && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value);
  return key === undefined || key === null ? undefined : String(key);
}

function rangeLine(node: unknown, lineCounter: LineCounter): number | undefined {
  const range = (node as Node | undefined)?.range;
  if (!range) return undefined;
  return lineCounter.linePos(range[0]).line;
}
