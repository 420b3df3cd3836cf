import { compareDigits, isDigits } from './numeric.ts';
import { checkVersionLength, type VersionScheme } from './types.ts';

/**
 * Composer/PHP `version_compare` order: an optional "v" dropped, "-", "_" and "+" read as ".",
 * a "." inserted at every digit/non-digit transition; parts compared pairwise, numbers
 * numerically, words by their special-form rank (unknown < dev < alpha = a < beta = b < RC = rc <
 * # < pl = p), a number ranking as "#". When one side runs out, a remaining number makes the longer
 * side greater, otherwise the rest is compared against "#".
 */
const SPECIAL_FORMS: Array<[string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialRank(part: string): number {
  if (isDigits(part)) return 4;
  for (const [form, rank] of SPECIAL_FORMS) if (part.startsWith(form)) return rank;
  return -1;
}

export function parsePackagist(version: string): string[] {
  checkVersionLength(version);
  let text = version.trim();
  if (text.startsWith('v') || text.startsWith('V')) text = text.slice(1);
  text = text.replace(/[-_+]/g, '.');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (i > 0 && c !== '.') {
      const prev = text[i - 1] as string;
      if (prev !== '.' && isDigits(prev) !== isDigits(c)) out += '.';
    }
    out += c;
  }
  return out.split('.').filter((part) => part !== '');
}

function comparePart(a: string, b: string): number {
  if (isDigits(a) && isDigits(b)) return compareDigits(a, b);
  return Math.sign(specialRank(a) - specialRank(b));
}

export function comparePackagist(a: string[], b: string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = comparePart(a[i] as string, b[i] as string);
    if (diff !== 0) return diff;
  }
  if (a.length === b.length) return 0;
  const longer = a.length > b.length ? a : b;
  const sign = a.length > b.length ? 1 : -1;
  const rest = longer.slice(length);
  if (isDigits(rest[0] as string)) return sign;
  return sign * comparePackagist(rest, ['#']);
}

export const packagistScheme: VersionScheme<string[]> = {
  name: 'packagist',
  parse: parsePackagist,
  compareParsed: comparePackagist,
};
