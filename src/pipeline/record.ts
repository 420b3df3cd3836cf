import { bundleDigest, signStatement } from '../attest/index.ts';
import type { Signer } from '../attest/types.ts';
import { validatePredicate } from '../model/predicates/index.ts';
import { parseStatement, type Statement } from '../model/statement.ts';
import type { Store } from '../store/index.ts';

export interface RecordContext {
  store: Store;
  signer: Signer;
  /** Appends a committed claim to the audit log; absent when the project runs without one. */
  appendToLedger?: (record: LedgerClaim) => Promise<void>;
}

/** What the audit log commits to for a stored attestation: digests only, never content. */
export interface LedgerClaim {
  kind: 'attestation';
  bundleDigest: string;
  predicateType: string;
  subjects: Record<string, string>[];
  signerKeyId: string;
  gate?: number;
}

export interface RecordedAttestation {
  id: string;
  bundle: object;
  inserted: boolean;
}

/**
 * Signs a statement, stores the bundle content-addressed and logs the claim. The statement and
 * its predicate (against the registry's schema) are validated first, so nothing malformed is ever
 * signed.
 */
export async function recordStatement(
  context: RecordContext,
  statement: Statement,
  options: { gate?: number; source?: string } = {},
): Promise<RecordedAttestation> {
  const checked = parseStatement(statement);
  validatePredicate(checked.predicateType, checked.predicate);
  const bundle = await signStatement(checked, context.signer);
  const bundleJson = JSON.stringify(bundle);
  const digest = bundleDigest(bundle);
  const { id, inserted } = await context.store.putAttestation({
    bundleJson,
    bundleDigest: digest,
    subjects: checked.subject.map((s) => ({ ...(s.name ? { name: s.name } : {}), digest: s.digest })),
    predicateType: checked.predicateType,
    signerKeyId: context.signer.keyId,
    ...(options.gate !== undefined ? { gate: options.gate } : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
  });
  if (inserted && context.appendToLedger) {
    await context.appendToLedger({
      kind: 'attestation',
      bundleDigest: digest,
      predicateType: checked.predicateType,
      subjects: checked.subject.map((s) => s.digest),
      signerKeyId: context.signer.keyId,
      ...(options.gate !== undefined ? { gate: options.gate } : {}),
    });
  }
  return { id, bundle: bundle as object, inserted };
}

/** Builds an in-toto Statement v1 for one subject. */
export function makeStatement(
  subject: Statement['subject'][number],
  predicateType: string,
  predicate: unknown,
): Statement {
  return { _type: 'https://in-toto.io/Statement/v1', subject: [subject], predicateType, predicate };
}
