import { compareDigits, compareStrings, isDigits, stripLeadingZeros } from './numeric.ts';
import { checkVersionLength, type VersionScheme } from './types.ts';

/**
 * Maven's version order (POM reference, "Version Order Specification", as ComparableVersion
 * implements it): tokens split at ".", "-" and digit/letter transitions (a transition counts as
 * "-"), the separator kept as the token's prefix; trailing null tokens (0, "", final, ga, release)
 * trimmed before each hyphen group; the shorter version padded with null tokens of the other's
 * prefix; ".qualifier" < "-qualifier" < "-number" < ".number"; qualifiers ordered
 * alpha < beta < milestone < rc = cr < snapshot < "" = final = ga < sp < anything else (lexical).
 */
export interface MavenToken {
  prefix: '.' | '-';
  value: string;
  numeric: boolean;
  /** Padding inserted during comparison, never produced by parsing. */
  padding?: boolean;
}

const QUALIFIER_ORDER = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];

function isNullToken(token: MavenToken): boolean {
  return token.numeric ? token.value === '0' : token.value === '';
}

function splitTransitions(raw: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let i = 1; i < raw.length; i++) {
    const prevDigit = isDigitChar(raw.charCodeAt(i - 1));
    const digit = isDigitChar(raw.charCodeAt(i));
    if (prevDigit !== digit) {
      pieces.push(raw.slice(start, i));
      start = i;
    }
  }
  pieces.push(raw.slice(start));
  return pieces;
}

function isDigitChar(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function parseMaven(version: string): MavenToken[] {
  checkVersionLength(version);
  const tokens: MavenToken[] = [];
  const text = version.trim().toLowerCase();
  let prefix: '.' | '-' = '.';
  let start = 0;
  const groups: Array<{ prefix: '.' | '-'; raw: string }> = [];
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (i === text.length || c === '.' || c === '-') {
      groups.push({ prefix, raw: text.slice(start, i) });
      prefix = c === '-' ? '-' : '.';
      start = i + 1;
    }
  }
  for (const group of groups) {
    const pieces = splitTransitions(group.raw);
    pieces.forEach((piece, index) => {
      const followedByDigits = index < pieces.length - 1;
      let value = piece === '' ? '0' : piece;
      if (value === 'cr') value = 'rc';
      if (value === 'ga' || value === 'final' || value === 'release') value = '';
      // a, b and m abbreviate alpha, beta, milestone only when a number follows directly.
      if (followedByDigits) {
        if (value === 'a') value = 'alpha';
        else if (value === 'b') value = 'beta';
        else if (value === 'm') value = 'milestone';
      }
      const numeric = isDigits(value);
      tokens.push({
        prefix: index === 0 ? group.prefix : '-',
        value: numeric ? stripLeadingZeros(value) : value,
        numeric,
      });
    });
  }
  // Trim null tokens from the end, then again before each hyphen group, back to the start.
  let i = tokens.length - 1;
  while (i > 0) {
    if (isNullToken(tokens[i] as MavenToken)) {
      tokens.splice(i, 1);
      i--;
      continue;
    }
    while (i >= 0 && (tokens[i] as MavenToken).prefix !== '-') i--;
    i--;
  }
  return tokens;
}

function paddingFor(other: MavenToken): MavenToken {
  if (other.prefix === '-') return { prefix: '-', value: '', numeric: false, padding: true };
  // "sp" is the one qualifier that sorts after a missing part, so pad it with the empty qualifier.
  if (!other.numeric && other.value === 'sp')
    return { prefix: '.', value: '', numeric: false, padding: true };
  return { prefix: '.', value: '0', numeric: true, padding: true };
}

function qualifierRank(value: string): number {
  const index = QUALIFIER_ORDER.indexOf(value);
  return index === -1 ? QUALIFIER_ORDER.length : index;
}

/**
 * Numbers sort after every qualifier ("-number" < ".number"). Qualifiers sort by rank first and
 * only then by separator (".q" < "-q"): the spec's blanket ".qualifier < -qualifier" would put
 * ".foo" below "-alpha" although a missing part sorts between them, which is not transitive.
 */
function compareTokens(a: MavenToken, b: MavenToken): number {
  const aNumber = a.numeric && !a.padding;
  const bNumber = b.numeric && !b.padding;
  if (a.numeric && b.numeric) {
    if (a.prefix !== b.prefix) return a.prefix === '-' ? -1 : 1;
    return compareDigits(a.value, b.value);
  }
  if (aNumber) return 1;
  if (bNumber) return -1;
  const ra = a.numeric ? qualifierRank('') : qualifierRank(a.value);
  const rb = b.numeric ? qualifierRank('') : qualifierRank(b.value);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (ra === QUALIFIER_ORDER.length) {
    const lexical = compareStrings(a.value, b.value);
    if (lexical !== 0) return lexical;
  }
  if (a.prefix !== b.prefix) return a.prefix === '.' ? -1 : 1;
  return 0;
}

export function compareMaven(a: MavenToken[], b: MavenToken[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i] ?? paddingFor(b[i] as MavenToken);
    const right = b[i] ?? paddingFor(a[i] as MavenToken);
    const diff = compareTokens(left, right);
    if (diff !== 0) return diff;
  }
  return 0;
}

export const mavenScheme: VersionScheme<MavenToken[]> = {
  name: 'maven',
  parse: parseMaven,
  compareParsed: compareMaven,
};
