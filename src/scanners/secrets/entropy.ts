/**
 * Shannon entropy in bits, counted over code points and divided by the UTF-8 byte length, the
 * way gitleaks computes it (so thresholds from existing configurations mean the same here).
 */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<number, number>();
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    counts.set(code, (counts.get(code) ?? 0) + 1);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / bytes;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
