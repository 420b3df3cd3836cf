import type { KeyObject } from 'node:crypto';
import type { DigestSet } from '../model/digest.ts';
import type { Statement } from '../model/statement.ts';

export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256';

/**
 * Anything that can sign DSSE pre-authentication-encoded bytes. Key files implement it now;
 * KMS and keyless (Fulcio) signers plug in behind the same interface later.
 */
export interface Signer {
  readonly keyId: string;
  readonly algorithm: KeyAlgorithm;
  /** SPKI PEM of the public half, carried as the bundle's key hint target. */
  readonly publicKeyPem: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** A public key a verifier trusts, with a human name for reports (e.g. "ci", "security"). */
export interface TrustedKey {
  keyId: string;
  publicKey: KeyObject;
  name?: string;
}

/** The outcome of verifying one bundle: only ever produced after every step has passed. */
export interface VerifiedAttestation {
  statement: Statement;
  signer: { keyId: string; name?: string };
  /** sha256 hex of the canonical bundle JSON bytes: the content address in the store. */
  bundleDigest: string;
}

export interface VerifyOptions {
  trustedKeys: TrustedKey[];
  /** When given, at least one statement subject must match this digest set. */
  subject?: DigestSet;
}
