import { bundleDigest, signStatement } from '../attest/index.ts';
import type { Signer } from '../attest/types.ts';
import { validatePredicate } from '../model/predicates/index.ts';
import { parseStatement, type Statement } from '../model/statement.ts';
import type { Store } from '../store/index.ts';
import type { LedgerSink } from './ledger-append.ts';

export interface RecordContext {
  store: Store;
  signer: Signer;
  /** The audit log every new claim is appended to; absent when the project runs without one. */
  ledger?: LedgerSink;
}

/** Store metadata key of the transparency-log receipt (C2SP tlog-proof) of an attestation. */
export function receiptKey(attestationId: string): string {
  return `ledger-receipt:${attestationId}`;
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
  /** Index of the claim in the transparency log, when a ledger is configured and it is new. */
  logIndex?: number;
}

/**
 * Signs a statement and records it. The statement and its predicate (against the registry's
 * schema) are validated first, so nothing malformed is ever signed.
 */
export async function recordStatement(
  context: RecordContext,
  statement: Statement,
  options: { gate?: number; source?: string } = {},
): Promise<RecordedAttestation> {
  const checked = parseStatement(statement);
  validatePredicate(checked.predicateType, checked.predicate);
  const bundle = await signStatement(checked, context.signer);
  return recordBundle(context, bundle, checked, context.signer.keyId, options);
}

/**
 * Stores a signed bundle content-addressed, indexed by its statement, and appends the claim to
 * the audit log, keeping the log's receipt beside it so exports carry offline proof of
 * inclusion. Storing is idempotent: a bundle already stored is not stored again, and is logged
 * again only if it never got a receipt.
 * Recording is not trusting: `verify` decides trust against the policy's keys.
 */
export async function recordBundle(
  context: Omit<RecordContext, 'signer'>,
  bundle: object,
  statement: Statement,
  signerKeyId: string,
  options: { gate?: number; source?: string } = {},
): Promise<RecordedAttestation> {
  const digest = bundleDigest(bundle);
  const { id, inserted } = await context.store.putAttestation({
    bundleJson: JSON.stringify(bundle),
    bundleDigest: digest,
    subjects: statement.subject.map((s) => ({ ...(s.name ? { name: s.name } : {}), digest: s.digest })),
    predicateType: statement.predicateType,
    signerKeyId,
    ...(options.gate !== undefined ? { gate: options.gate } : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
  });
  let logIndex: number | undefined;
  // A bundle stored earlier whose log append failed (the log was locked, the process died) has
  // no receipt yet: recording it again logs it then, so a retry heals the gap.
  const unlogged =
    inserted || (context.ledger !== undefined && (await context.store.getMeta(receiptKey(id))) === undefined);
  if (unlogged && context.ledger) {
    const logged = await context.ledger.append({
      kind: 'attestation',
      bundleDigest: digest,
      predicateType: statement.predicateType,
      subjects: statement.subject.map((s) => s.digest),
      signerKeyId,
      ...(options.gate !== undefined ? { gate: options.gate } : {}),
    });
    await context.store.putMeta(receiptKey(id), logged.receipt);
    logIndex = logged.index;
  }
  return { id, bundle, inserted, ...(logIndex !== undefined ? { logIndex } : {}) };
}

/** Builds an in-toto Statement v1 for one subject. */
export function makeStatement(
  subject: Statement['subject'][number],
  predicateType: string,
  predicate: unknown,
): Statement {
  return { _type: 'https://in-toto.io/Statement/v1', subject: [subject], predicateType, predicate };
}
