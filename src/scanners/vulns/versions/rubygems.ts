import { compareDigits, compareStrings } from './numeric.ts';
import { checkVersionLength, type VersionScheme } from './types.ts';

/**
 * Gem::Version ordering: segments are runs of digits or letters ("-" means ".pre."); trailing
 * zeros are dropped from the numeric release part and from the pre-release part; segments are
 * compared pairwise with missing ones as 0; a letter segment sorts before a number.
 */
export type GemSegment = string;

const SEGMENT = /[0-9]+|[a-z]+/gi;

export function parseGem(version: string): GemSegment[] {
  checkVersionLength(version);
  const text = version.trim().replaceAll('-', '.pre.');
  const segments = text.match(SEGMENT) ?? [];
  const firstString = segments.findIndex((segment) => !isNumber(segment));
  const release = firstString === -1 ? segments : segments.slice(0, firstString);
  const pre = firstString === -1 ? [] : segments.slice(firstString);
  return [...dropTrailingZeros(release), ...dropTrailingZeros(pre)].map((s) =>
    isNumber(s) ? normalise(s) : s,
  );
}

function isNumber(segment: string): boolean {
  const c = segment.charCodeAt(0);
  return c >= 48 && c <= 57;
}

function normalise(digits: string): string {
  const trimmed = digits.replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

function dropTrailingZeros(segments: string[]): string[] {
  let end = segments.length;
  while (end > 0 && /^0+$/.test(segments[end - 1] as string)) end--;
  return segments.slice(0, end);
}

export function compareGem(a: GemSegment[], b: GemSegment[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? '0';
    const y = b[i] ?? '0';
    const xNumber = isNumber(x);
    const yNumber = isNumber(y);
    let diff: number;
    if (xNumber && yNumber) diff = compareDigits(x, y);
    else if (xNumber) diff = 1;
    else if (yNumber) diff = -1;
    else diff = compareStrings(x, y);
    if (diff !== 0) return diff;
  }
  return 0;
}

export const rubygemsScheme: VersionScheme<GemSegment[]> = {
  name: 'rubygems',
  parse: parseGem,
  compareParsed: compareGem,
};
