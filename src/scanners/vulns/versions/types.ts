import { InputError } from '../../../util/errors.ts';

/**
 * One ecosystem's version ordering. `parse` never throws for well-sized input: every string maps
 * to some position in the order (ecosystems publish versions that break their own rules, and a
 * scanner must still place them). `compareParsed` is a total preorder: antisymmetric and
 * transitive, with 0 for versions the ecosystem treats as equal.
 */
export interface VersionScheme<P = unknown> {
  readonly name: string;
  parse(version: string): P;
  compareParsed(a: P, b: P): number;
}

/** Longest version string accepted; longer input is refused rather than compared. */
export const MAX_VERSION_LENGTH = 256;

export function checkVersionLength(version: string): void {
  if (version.length > MAX_VERSION_LENGTH) {
    throw new InputError(
      'VERSION_TOO_LONG',
      `version "${version.slice(0, 32)}…" is ${version.length} characters; the limit is ${MAX_VERSION_LENGTH}`,
    );
  }
}

/** Compares two version strings with a scheme; the result is -1, 0 or 1. */
export function compareVersions<P>(scheme: VersionScheme<P>, a: string, b: string): number {
  return Math.sign(scheme.compareParsed(scheme.parse(a), scheme.parse(b)));
}
