/**
 * Maps character offsets to 1-based line numbers, and finds needles in document order. Extractors
 * walk a parsed document in the order it was written, so each search starts where the last one
 * ended and the whole walk stays linear in the text size.
 */
export class LineIndex {
  readonly text: string;
  private readonly starts: number[];
  private cursor = 0;

  constructor(text: string) {
    this.text = text;
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Line of the next occurrence of `needle` after the previous match; undefined if none. */
  next(needle: string): number | undefined {
    const at = this.text.indexOf(needle, this.cursor);
    if (at === -1) return undefined;
    this.cursor = at + needle.length;
    return this.lineAt(at);
  }

  /** Moves the cursor past the next occurrence of `needle` (e.g. a section header). */
  seek(needle: string): void {
    const at = this.text.indexOf(needle, this.cursor);
    if (at !== -1) this.cursor = at + needle.length;
  }

  /** Line of the first occurrence of `needle` anywhere, without moving the cursor. */
  first(needle: string): number | undefined {
    const at = this.text.indexOf(needle);
    return at === -1 ? undefined : this.lineAt(at);
  }
}
