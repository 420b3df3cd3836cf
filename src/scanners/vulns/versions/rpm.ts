import { compareDigits } from './numeric.ts';
import { checkVersionLength, type VersionScheme } from './types.ts';

/**
 * RPM ordering (rpmvercmp), for Red Hat and the other RPM distributions: `[epoch:]version[-release]`,
 * each part compared by alternating alphabetic and numeric segments (separators ignored; numbers
 * numerically and newer than letters; "~" sorts before everything, even the end; "^" after the
 * end but before anything else); the segment-wise longer string wins a tie. A missing epoch is 0;
 * a missing release sorts below any release.
 */
export interface RpmParsed {
  epoch: string;
  version: string;
  /** Null when there is no "-release" at all, which sorts below any release, even an empty one. */
  release: string | null;
}

export function parseRpm(text: string): RpmParsed {
  checkVersionLength(text);
  let rest = text.trim();
  let epoch = '0';
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    epoch = rest.slice(0, colon) || '0';
    rest = rest.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash >= 0) return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
  return { epoch, version: rest, release: null };
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined) =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isDigit(a[i]) && !isAlpha(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isDigit(b[j]) && !isAlpha(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const test = numeric ? isDigit : isAlpha;
    const startA = i;
    const startB = j;
    while (i < a.length && test(a[i])) i++;
    while (j < b.length && test(b[j])) j++;
    // Segments of different kinds: the numeric one is newer.
    if (startB === j) return numeric ? 1 : -1;
    const x = a.slice(startA, i);
    const y = b.slice(startB, j);
    const diff = numeric ? compareDigits(x, y) : x < y ? -1 : x > y ? 1 : 0;
    if (diff !== 0) return diff;
  }
  const aDone = i >= a.length;
  const bDone = j >= b.length;
  if (aDone && bDone) return 0;
  return aDone ? -1 : 1;
}

function compareRelease(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return rpmvercmp(a, b);
}

export function compareRpm(a: RpmParsed, b: RpmParsed): number {
  return (
    rpmvercmp(a.epoch, b.epoch) || rpmvercmp(a.version, b.version) || compareRelease(a.release, b.release)
  );
}

export const rpmScheme: VersionScheme<RpmParsed> = {
  name: 'rpm',
  parse: parseRpm,
  compareParsed: compareRpm,
};
