import { InputError } from '../util/errors.ts';

/**
 * A DigestSet per the in-toto ResourceDescriptor: algorithm name → lowercase hex.
 * Subjects are matched by digest only, never by name.
 */
export type DigestSet = Record<string, string>;

/** Expected hex length per algorithm we validate; other algorithms only need to be lowercase hex. */
export const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = {
  sha256: 64,
  sha384: 96,
  sha512: 128,
  sha1: 40,
  gitCommit: 40,
  gitTree: 40,
  gitBlob: 40,
};

const HEX = /^[0-9a-f]+$/;

export function validateDigestSet(value: unknown, file?: string): DigestSet {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('DIGEST_INVALID', 'digest must be an object mapping algorithm to hex', { file });
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) throw new InputError('DIGEST_INVALID', 'digest set is empty', { file });
  const out: DigestSet = {};
  for (const [algorithm, hex] of entries) {
    if (typeof hex !== 'string' || !HEX.test(hex)) {
      throw new InputError('DIGEST_INVALID', `digest ${algorithm} is not lowercase hex`, { file });
    }
    const expected = DIGEST_HEX_LENGTH[algorithm];
    // gitCommit may be SHA-256 object format (64 hex) as well as SHA-1.
    const ok =
      expected === undefined || hex.length === expected || (algorithm.startsWith('git') && hex.length === 64);
    if (!ok) {
      throw new InputError(
        'DIGEST_INVALID',
        `digest ${algorithm} has ${hex.length} hex digits, expected ${expected}`,
        { file },
      );
    }
    out[algorithm] = hex;
  }
  return out;
}

/** Two digest sets name the same artifact when they share an algorithm and agree on every shared one. */
export function digestSetsMatch(a: DigestSet, b: DigestSet): boolean {
  let shared = 0;
  for (const [algorithm, hex] of Object.entries(a)) {
    const other = b[algorithm];
    if (other === undefined) continue;
    if (other !== hex) return false;
    shared++;
  }
  return shared > 0;
}

/** `sha256:abcd…` → {algorithm, hex}. */
export function parseDigestString(text: string): { algorithm: string; hex: string } {
  const match = /^([a-zA-Z0-9_]+):([0-9a-f]+)$/.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new InputError('DIGEST_INVALID', `"${text}" is not of the form algorithm:hex`);
  }
  const set = validateDigestSet({ [match[1]]: match[2] });
  return { algorithm: match[1], hex: set[match[1]] as string };
}

/** Canonical `algorithm:hex` keys of a digest set, sorted: the form the store indexes. */
export function digestKeys(set: DigestSet): string[] {
  return Object.entries(set)
    .map(([algorithm, hex]) => `${algorithm}:${hex}`)
    .sort();
}

/** The `algorithm:hex` key to look a subject up by: its sha256 digest when it has one, else its first. */
export function primaryDigestKey(set: DigestSet): string {
  const entries = Object.entries(set);
  const [algorithm, hex] = entries.find(([a]) => a === 'sha256') ?? entries[0] ?? [];
  return `${algorithm}:${hex}`;
}
