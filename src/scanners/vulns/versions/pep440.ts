import { compareDigits, compareStrings, isDigits } from './numeric.ts';
import { checkVersionLength, type VersionScheme } from './types.ts';

/**
 * PEP 440 ordering (PyPI). Versions that PEP 440 cannot parse follow the legacy rules that
 * setuptools and older `packaging` used: they sort before every PEP 440 version (epoch -1) and
 * compare among themselves by their normalised part lists.
 */
export type Pep440Parsed =
  | {
      legacy: false;
      epoch: string;
      release: string[];
      pre: [number, string] | null;
      post: string | null;
      dev: string | null;
      local: string[] | null;
    }
  | { legacy: true; parts: string[] };

// Pattern of the PEP 440 appendix, anchored, case-insensitive; linear (no nested quantifiers over
// the same characters).
const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/;

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

export function parsePep440(version: string): Pep440Parsed {
  checkVersionLength(version);
  const text = version.trim().toLowerCase();
  const match = PEP440.exec(text);
  if (!match) return { legacy: true, parts: legacyParts(text) };
  const [
    ,
    epoch,
    release,
    preLabel,
    preNumber,
    postImplicit,
    postLabel,
    postNumber,
    devLabel,
    devNumber,
    local,
  ] = match;
  const releaseParts = (release as string).split('.');
  // Trailing zeros do not change a release: 1.0 == 1.0.0.
  while (releaseParts.length > 1 && /^0+$/.test(releaseParts[releaseParts.length - 1] as string))
    releaseParts.pop();
  return {
    legacy: false,
    epoch: epoch ?? '0',
    release: releaseParts,
    pre: preLabel ? [PRE_RANK[preLabel] as number, preNumber ?? '0'] : null,
    post: postImplicit ?? (postLabel ? (postNumber ?? '0') : null),
    dev: devLabel ? (devNumber ?? '0') : null,
    local: local ? local.split(/[-_.]/) : null,
  };
}

/** The legacy part list: digits zero-padded to 8, words prefixed "*", closing with "*final". */
function legacyParts(text: string): string[] {
  const parts: string[] = [];
  const pieces = text.split(/(\d+|[a-z]+|\.|-)/);
  for (const raw of [...pieces, 'final']) {
    if (raw === '' || raw === '.') continue;
    const replaced =
      raw === 'pre' || raw === 'preview' || raw === 'rc'
        ? 'c'
        : raw === '-'
          ? 'final-'
          : raw === 'dev'
            ? '@'
            : raw;
    const part = isDigits(replaced) ? replaced.padStart(8, '0') : `*${replaced}`;
    if (part.startsWith('*')) {
      if (part < '*final') while (parts[parts.length - 1] === '*final-') parts.pop();
      while (parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

function compareReleaseParts(a: string[], b: string[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (diff !== 0) return diff;
  }
  return 0;
}

// Sort keys following `packaging`: a dev release without pre/post sorts before any pre-release of
// the same release; no pre-release sorts after all pre-releases; no post before any post; no dev
// after any dev.
type Slot = { kind: -1 | 0 | 1; rank?: number; number?: string };

function preSlot(v: Extract<Pep440Parsed, { legacy: false }>): Slot {
  if (v.pre === null && v.post === null && v.dev !== null) return { kind: -1 };
  if (v.pre === null) return { kind: 1 };
  return { kind: 0, rank: v.pre[0], number: v.pre[1] };
}

function compareSlot(a: Slot, b: Slot): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.kind !== 0) return 0;
  if (a.rank !== b.rank) return (a.rank as number) < (b.rank as number) ? -1 : 1;
  return compareDigits(a.number as string, b.number as string);
}

function compareOptional(a: string | null, b: string | null, absentIsHigh: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === absentIsHigh ? 1 : -1;
  }
  return compareDigits(a, b);
}

function compareLocal(a: string[] | null, b: string[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    const xNumeric = isDigits(x);
    const yNumeric = isDigits(y);
    // Numeric local segments sort after alphanumeric ones.
    const diff =
      xNumeric && yNumeric ? compareDigits(x, y) : xNumeric ? 1 : yNumeric ? -1 : compareStrings(x, y);
    if (diff !== 0) return diff;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function comparePep440(a: Pep440Parsed, b: Pep440Parsed): number {
  if (a.legacy || b.legacy) {
    if (!a.legacy) return 1;
    if (!b.legacy) return -1;
    const length = Math.min(a.parts.length, b.parts.length);
    for (let i = 0; i < length; i++) {
      const diff = compareStrings(a.parts[i] as string, b.parts[i] as string);
      if (diff !== 0) return diff;
    }
    return a.parts.length === b.parts.length ? 0 : a.parts.length < b.parts.length ? -1 : 1;
  }
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareReleaseParts(a.release, b.release) ||
    compareSlot(preSlot(a), preSlot(b)) ||
    compareOptional(a.post, b.post, false) ||
    compareOptional(a.dev, b.dev, true) ||
    compareLocal(a.local, b.local)
  );
}

export const pep440Scheme: VersionScheme<Pep440Parsed> = {
  name: 'pep440',
  parse: parsePep440,
  compareParsed: comparePep440,
};
