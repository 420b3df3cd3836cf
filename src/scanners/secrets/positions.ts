/** Byte offsets of every `\n`, built once per fragment and only when a match needs a line number. */
export function newlineIndex(data: Uint8Array): Int32Array {
  const offsets: number[] = [];
  let at = data.indexOf(10);
  while (at !== -1) {
    offsets.push(at);
    at = data.indexOf(10, at + 1);
  }
  return Int32Array.from(offsets);
}

/** Number of newlines strictly before `offset`. */
export function linesBefore(index: Int32Array, offset: number): number {
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((index[mid] as number) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function countNewlines(text: string, end: number): number {
  let count = 0;
  let at = text.indexOf('\n');
  while (at !== -1 && at < end) {
    count++;
    at = text.indexOf('\n', at + 1);
  }
  return count;
}

/** A UTF-8 continuation byte: a window must not start or end inside a character. */
export function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}
