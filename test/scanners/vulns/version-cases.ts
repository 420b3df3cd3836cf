/**
 * Reads version-ordering cases, one comparison a line: `A < B`, `A = B` or `A > B`; blank lines
 * and lines starting with `#` or `//` are ignored.
 */
export interface VersionCase {
  left: string;
  op: '<' | '=' | '>';
  right: string;
  line: number;
}

export function parseVersionCases(text: string): VersionCase[] {
  const cases: VersionCase[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) return;
    const match = /^(\S+)\s+([<=>])\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`line ${index + 1}: not a comparison: ${line}`);
    cases.push({
      left: match[1] as string,
      op: match[2] as VersionCase['op'],
      right: match[3] as string,
      line: index + 1,
    });
  });
  return cases;
}

export function expectedSign(op: VersionCase['op']): number {
  return op === '<' ? -1 : op === '>' ? 1 : 0;
}
