import { createHash } from 'node:crypto';
import { readUntrustedStatement } from '../../attest/index.ts';
import type { TrustedKey, VerifiedAttestation } from '../../attest/types.ts';
import type { DigestSet } from '../../model/digest.ts';
import type { Evidence, RejectedEvidence } from '../../policy/model.ts';
import { isGatechainError } from '../../util/errors.ts';
import { digestSubject } from '../images/reference.ts';
import { isCertificateBundle, type KeylessIdentity, type KeylessVerifier } from './keyless.ts';

/** A stored attestation as the admission engine receives it: untrusted bytes plus store metadata. */
export interface AttestationRow {
  id: string;
  bundleJson: string;
  /** When the store recorded it (RFC 3339): the store's clock, not the signer's. */
  createdAt: string;
}

/** Reads the attestation rows naming one `sha256:<hex>` digest. */
export type AttestationSource = (subjectDigest: string) => Promise<AttestationRow[]>;

export type BundleVerifier = (
  bundle: unknown,
  options: { trustedKeys: TrustedKey[]; subject?: DigestSet },
) => VerifiedAttestation | Promise<VerifiedAttestation>;

/** Everything verified about one image digest: only statements whose signature checked out. */
export interface DigestEvidence {
  digest: string;
  verified: Evidence[];
  rejected: RejectedEvidence[];
  /** Certificate identities of keyless evidence, by evidence id. */
  identities: Map<string, KeylessIdentity>;
}

/** The keyId recorded for keyless evidence: never equal to a real key ID (those are hex). */
export const KEYLESS_KEY_ID = 'keyless';

/** Rows above this count are not read: a flooded store cannot stall admission. */
export const MAX_ROWS_PER_DIGEST = 500;

type Verdict =
  | { kind: 'verified'; evidence: Evidence; identity?: KeylessIdentity }
  | { kind: 'rejected'; rejection: RejectedEvidence };

/**
 * Verification verdicts of stored bundles, keyed by the digest they were checked against and the
 * SHA-256 of the exact bundle bytes. A verdict is a fact about immutable bytes under a fixed
 * keyring, so it never expires; the map is only bounded (oldest entry out first). One cache
 * belongs to one engine (one keyring).
 */
export class BundleVerdictCache {
  readonly #entries = new Map<string, Verdict>();
  readonly maxEntries: number;

  constructor(maxEntries = 20_000) {
    this.maxEntries = maxEntries;
  }

  key(digest: string, row: AttestationRow): string {
    return `${digest}|${row.id}|${row.createdAt}|${createHash('sha256').update(row.bundleJson).digest('hex')}`;
  }

  get(key: string): Verdict | undefined {
    return this.#entries.get(key);
  }

  set(key: string, verdict: Verdict): void {
    if (this.maxEntries <= 0) return;
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, verdict);
  }

  get size(): number {
    return this.#entries.size;
  }
}

async function verifyRow(
  row: AttestationRow,
  subject: DigestSet,
  verify: BundleVerifier,
  trustedKeys: TrustedKey[],
  keyless: KeylessVerifier | undefined,
): Promise<Verdict> {
  try {
    const bundle: unknown = JSON.parse(row.bundleJson);
    if (keyless && isCertificateBundle(bundle)) {
      const result = keyless(bundle, subject);
      return {
        kind: 'verified',
        evidence: {
          id: row.id,
          statement: result.statement,
          keyId: KEYLESS_KEY_ID,
          signerNames: [],
          createdAt: row.createdAt,
        },
        identity: result.identity,
      };
    }
    const result = await verify(bundle, { trustedKeys, subject });
    return {
      kind: 'verified',
      evidence: {
        id: row.id,
        statement: result.statement,
        keyId: result.signer.keyId,
        signerNames: result.signer.name ? [result.signer.name] : [],
        createdAt: row.createdAt,
      },
    };
  } catch (error) {
    if (error instanceof SyntaxError) {
      return {
        kind: 'rejected',
        rejection: { id: row.id, code: 'BUNDLE_JSON_INVALID', reason: 'stored bundle is not JSON' },
      };
    }
    if (!isGatechainError(error)) throw error;
    // Which requirement the failure concerns, read without trust and only for the message.
    let predicateType: string | undefined;
    try {
      predicateType = readUntrustedStatement(JSON.parse(row.bundleJson)).predicateType;
    } catch {
      predicateType = undefined;
    }
    return {
      kind: 'rejected',
      rejection: {
        id: row.id,
        code: error.code,
        reason: error.message,
        ...(predicateType ? { predicateType } : {}),
      },
    };
  }
}

/**
 * Fetches and verifies every attestation about one digest against all keys the engine knows.
 * A bundle failing any verification step is kept only as a rejection with its code.
 */
export async function collectEvidence(
  source: AttestationSource,
  verify: BundleVerifier,
  trustedKeys: TrustedKey[],
  digest: string,
  keyless?: KeylessVerifier,
  verdicts?: BundleVerdictCache,
): Promise<DigestEvidence> {
  const subject = digestSubject(digest);
  const rows = (await source(digest)).slice(0, MAX_ROWS_PER_DIGEST);
  const verified: Evidence[] = [];
  const rejected: RejectedEvidence[] = [];
  const identities = new Map<string, KeylessIdentity>();
  for (const row of rows) {
    const key = verdicts?.key(digest, row);
    let verdict = key ? verdicts?.get(key) : undefined;
    if (!verdict) {
      verdict = await verifyRow(row, subject, verify, trustedKeys, keyless);
      if (key) verdicts?.set(key, verdict);
    }
    if (verdict.kind === 'rejected') {
      rejected.push(verdict.rejection);
      continue;
    }
    verified.push(verdict.evidence);
    if (verdict.identity) identities.set(row.id, verdict.identity);
  }
  return { digest, verified, rejected, identities };
}
