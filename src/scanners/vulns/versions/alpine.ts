import { compareDigits, compareStrings } from './numeric.ts';
import { checkVersionLength, type VersionScheme } from './types.ts';

/**
 * apk (Alpine) ordering: `number{.number}…{letter}{_suffix{number}}…{~hash}{-r#}`.
 * Numbers compare numerically, except that after the first, a part with a leading zero compares
 * as a string (apk's rule for fractional-looking parts); a letter sorts after none; suffixes rank
 * alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p, then by their number; the hash is
 * ignored; then the -r build number; a version with text left over sorts below one without.
 * Versions that break the grammar (text that is not a build suffix) compare field by field like
 * the rest, and only when two such versions tie on every field, by their text.
 */
export interface AlpineParsed {
  original: string;
  components: string[];
  letter: string;
  suffixes: Array<{ weight: number; number: string }>;
  build: string;
  remainder: string;
  invalid: boolean;
}

const SUFFIX_WEIGHT: Record<string, number> = {
  alpha: 0,
  beta: 1,
  pre: 2,
  rc: 3,
  cvs: 5,
  svn: 6,
  git: 7,
  hg: 8,
  p: 9,
};
const NO_SUFFIX = { weight: 4, number: '0' };

export function parseAlpine(version: string): AlpineParsed {
  checkVersionLength(version);
  const original = version;
  let rest = version;
  const numbers = /^(?:\d+\.?)*/.exec(rest)?.[0] ?? '';
  const components: string[] = [];
  for (const part of numbers.split('.')) {
    // A dot not followed by digits ends the number list (apk accepts it).
    if (part === '') break;
    components.push(part);
  }
  rest = rest.slice(numbers.length);
  let letter = '';
  if (/^[a-z]/.test(rest)) {
    letter = rest[0] as string;
    rest = rest.slice(1);
  }
  const suffixes: AlpineParsed['suffixes'] = [];
  for (;;) {
    const match = /^_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)/.exec(rest);
    if (!match) break;
    suffixes.push({ weight: SUFFIX_WEIGHT[match[1] as string] as number, number: match[2] || '0' });
    rest = rest.slice(match[0].length);
  }
  const hash = /^~[0-9a-f]+/.exec(rest);
  if (hash) rest = rest.slice(hash[0].length);
  let build = '0';
  let invalid = false;
  if (rest !== '') {
    const match = /^-r(\d*)/.exec(rest);
    if (match) {
      build = match[1] || '0';
      rest = rest.slice(match[0].length);
    } else {
      invalid = true;
    }
  }
  return { original, components, letter, suffixes, build, remainder: rest, invalid };
}

function compareComponent(a: string, b: string, index: number): number {
  if (index > 0 && (a.startsWith('0') || b.startsWith('0'))) return compareStrings(a, b);
  return compareDigits(a, b);
}

export function compareAlpine(a: AlpineParsed, b: AlpineParsed): number {
  const count = Math.max(a.components.length, b.components.length);
  for (let i = 0; i < count; i++) {
    const diff = compareComponent(a.components[i] ?? '0', b.components[i] ?? '0', i);
    if (diff !== 0) return diff;
  }
  if (a.letter !== b.letter)
    return a.letter === '' ? -1 : b.letter === '' ? 1 : compareStrings(a.letter, b.letter);
  const suffixes = Math.max(a.suffixes.length, b.suffixes.length);
  for (let i = 0; i < suffixes; i++) {
    const x = a.suffixes[i] ?? NO_SUFFIX;
    const y = b.suffixes[i] ?? NO_SUFFIX;
    if (x.weight !== y.weight) return x.weight < y.weight ? -1 : 1;
    const diff = compareDigits(x.number, y.number);
    if (diff !== 0) return diff;
  }
  const build = compareDigits(a.build, b.build);
  if (build !== 0) return build;
  if ((a.remainder === '') !== (b.remainder === '')) return a.remainder === '' ? 1 : -1;
  if (a.invalid && b.invalid) return compareStrings(a.original, b.original);
  return 0;
}

export const alpineScheme: VersionScheme<AlpineParsed> = {
  name: 'alpine',
  parse: parseAlpine,
  compareParsed: compareAlpine,
};
