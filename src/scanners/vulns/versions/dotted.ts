import { compareDigits, compareStrings, isDigits } from './numeric.ts';
import { checkVersionLength, type VersionScheme } from './types.ts';

/**
 * Purely numeric dotted versions as Hackage (PVP) and CRAN order them: components compared
 * numerically, left to right, and a version that extends another is greater — so 1.0 < 1.0.0,
 * unlike SemVer. CRAN also separates components with "-" (0.1-2 = 0.1.2). Any text that is not a
 * digit run is kept as its own component, sorting before numbers, so every string has a place.
 */
export function parseDotted(version: string): string[] {
  checkVersionLength(version);
  return version
    .trim()
    .split(/[.-]/)
    .flatMap((part) => part.match(/\d+|\D+/g) ?? [])
    .map((part) => (isDigits(part) ? part.replace(/^0+(?=\d)/, '') : part));
}

export function compareDotted(a: string[], b: string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    const xNumber = isDigits(x);
    const yNumber = isDigits(y);
    const diff = xNumber && yNumber ? compareDigits(x, y) : xNumber ? 1 : yNumber ? -1 : compareStrings(x, y);
    if (diff !== 0) return diff;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export const dottedScheme: VersionScheme<string[]> = {
  name: 'dotted-numeric',
  parse: parseDotted,
  compareParsed: compareDotted,
};
