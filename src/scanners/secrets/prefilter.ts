/**
 * Aho-Corasick automaton over bytes, ASCII case-insensitive: one pass over a file finds every
 * occurrence of every rule keyword, so a rule's regex only runs near its keywords. The goto and
 * failure functions are folded into one dense DFA table over a reduced alphabet (the distinct
 * keyword bytes plus "other"), so the hot loop is one table load per input byte.
 */
export interface KeywordAutomaton {
  readonly keywords: readonly string[];
  /** Calls `onHit(keywordIndex, startOffset)` for every occurrence, in order of end offset. */
  scan(data: Uint8Array, onHit: (keyword: number, start: number) => void): void;
}

function lowerByte(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
}

export function buildKeywordAutomaton(keywords: readonly string[]): KeywordAutomaton {
  const encoded = keywords.map((keyword) =>
    Array.from(Buffer.from(keyword.toLowerCase(), 'utf8'), lowerByte),
  );
  const classOf = new Uint8Array(256);
  let classes = 1;
  for (const bytes of encoded) {
    for (const byte of bytes) {
      if (classOf[byte] === 0) {
        if (classes === 255) throw new Error('keyword alphabet too large');
        classOf[byte] = classes++;
      }
    }
  }
  for (let upper = 0x41; upper <= 0x5a; upper++) classOf[upper] = classOf[upper + 0x20] as number;

  // Trie with sparse children first; the dense table is filled breadth-first below.
  const children: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  encoded.forEach((bytes, index) => {
    if (bytes.length === 0) return;
    let state = 0;
    for (const byte of bytes) {
      const cls = classOf[byte] as number;
      let next = children[state]?.get(cls);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        own.push([]);
        children[state]?.set(cls, next);
      }
      state = next;
    }
    own[state]?.push(index);
  });
  const states = children.length;
  const delta = new Int32Array(states * classes);
  const fail = new Int32Array(states);
  const outputs: number[][] = own.map((list) => [...list]);
  const queue: number[] = [];
  for (let cls = 0; cls < classes; cls++) {
    const next = children[0]?.get(cls);
    delta[cls] = next ?? 0;
    if (next !== undefined) queue.push(next);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    outputs[state] = [...(outputs[state] ?? []), ...(outputs[fail[state] as number] ?? [])];
    for (let cls = 0; cls < classes; cls++) {
      const next = children[state]?.get(cls);
      const viaFail = delta[(fail[state] as number) * classes + cls] as number;
      if (next === undefined) {
        delta[state * classes + cls] = viaFail;
      } else {
        delta[state * classes + cls] = next;
        fail[next] = viaFail;
        queue.push(next);
      }
    }
  }
  // The hot loop walks row offsets (state × classes) instead of state numbers, saving a multiply,
  // and a transition into a state with output is stored negated, saving a second table load.
  const hasOutput = outputs.map((list) => list.length > 0);
  const table = new Int32Array(states * classes);
  for (let i = 0; i < table.length; i++) {
    const target = delta[i] as number;
    table[i] = hasOutput[target] ? -(target * classes) - 1 : target * classes;
  }
  const lengths = encoded.map((bytes) => bytes.length);

  return {
    keywords,
    scan(data, onHit) {
      runAutomaton(data, table, classOf, classes, outputs, lengths, onHit);
    },
  };
}

/** The hot loop, with every table passed in as a local so V8 keeps them in registers. */
function runAutomaton(
  data: Uint8Array,
  table: Int32Array,
  classOf: Uint8Array,
  classes: number,
  outputs: number[][],
  lengths: number[],
  onHit: (keyword: number, start: number) => void,
): void {
  let row = 0;
  const length = data.length;
  for (let i = 0; i < length; i++) {
    row = table[row + (classOf[data[i] as number] as number)] as number;
    if (row < 0) {
      row = -row - 1;
      for (const keyword of outputs[row / classes] as number[])
        onHit(keyword, i + 1 - (lengths[keyword] as number));
    }
  }
}
