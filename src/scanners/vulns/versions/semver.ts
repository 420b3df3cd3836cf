import { compareDigits, compareStrings, isDigits } from './numeric.ts';
import { checkVersionLength, type VersionScheme } from './types.ts';

/**
 * SemVer 2.0 precedence, read leniently so every published version has a place: an optional
 * leading "v", any count of numeric components (missing ones are 0; components beyond
 * `maxComponents` fold into build metadata), a pre-release after "-" (or after any other
 * non-digit that follows the numbers), and build metadata after "+", which never affects order.
 */
export interface SemverParsed {
  release: string[];
  /** Pre-release identifiers; empty for a release. */
  pre: string[];
  /** Build identifiers (numeric components past the limit first); ignored by SemVer precedence. */
  build: string[];
}

export function parseSemverLike(version: string, maxComponents: number, foldCase: boolean): SemverParsed {
  checkVersionLength(version);
  let text = version.trim();
  if (text.startsWith('v') || text.startsWith('V')) text = text.slice(1);
  const release: string[] = [];
  let i = 0;
  let current = '';
  while (i < text.length) {
    const c = text[i] as string;
    if (c >= '0' && c <= '9') {
      current += c;
      i++;
      continue;
    }
    if (current !== '') {
      release.push(current);
      current = '';
    }
    if (c === '.') {
      i++;
      continue;
    }
    break;
  }
  if (current !== '') release.push(current);
  let rest = text.slice(i);
  const plus = rest.indexOf('+');
  const buildText = plus >= 0 ? rest.slice(plus + 1) : '';
  if (plus >= 0) rest = rest.slice(0, plus);
  if (rest.startsWith('-')) rest = rest.slice(1);
  if (foldCase) rest = rest.toLowerCase();
  // Components past the limit are build metadata ("1.2.3.4" is 1.2.3 with build "4").
  const kept = release.slice(0, maxComponents);
  const build = [...release.slice(maxComponents), ...(buildText === '' ? [] : buildText.split('.'))];
  return { release: kept, pre: rest === '' ? [] : rest.split('.'), build };
}

export function compareRelease(a: string[], b: string[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (diff !== 0) return diff;
  }
  return 0;
}

/** SemVer §11: numeric identifiers numerically, others in ASCII order, numeric before alphanumeric. */
export function comparePrerelease(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  return compareIdentifiers(a, b);
}

/** Identifier lists compared pairwise by SemVer's identifier rules; a longer list wins a tie. */
export function compareIdentifiers(a: string[], b: string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    const xNumeric = isDigits(x);
    const yNumeric = isDigits(y);
    let diff: number;
    if (xNumeric && yNumeric) diff = compareDigits(x, y);
    else if (xNumeric) diff = -1;
    else if (yNumeric) diff = 1;
    else diff = compareStrings(x, y);
    if (diff !== 0) return diff;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareSemverParsed(a: SemverParsed, b: SemverParsed): number {
  return compareRelease(a.release, b.release) || comparePrerelease(a.pre, b.pre);
}

/** npm, crates.io and Go (Go pseudo-versions order correctly as SemVer pre-releases). */
export const semverScheme: VersionScheme<SemverParsed> = {
  name: 'semver',
  parse: (version) => parseSemverLike(version, 3, false),
  compareParsed: compareSemverParsed,
};

/**
 * NuGet: up to four numeric parts, pre-release labels compared case-insensitively, build
 * metadata ignored.
 */
export const nugetScheme: VersionScheme<SemverParsed> = {
  name: 'nuget',
  parse: (version) => parseSemverLike(version, 4, true),
  compareParsed: compareSemverParsed,
};

/**
 * Pub (Dart): SemVer precedence, then build metadata as a tie-break: none before any, identifiers
 * compared like pre-release ones.
 */
export const pubScheme: VersionScheme<SemverParsed> = {
  name: 'pub',
  parse: (version) => parseSemverLike(version, 3, false),
  compareParsed: (a, b) => compareSemverParsed(a, b) || compareIdentifiers(a.build, b.build),
};
