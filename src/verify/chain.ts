import { readUntrustedStatement, verifyAttestationBundle } from '../attest/index.ts';
import type { TrustedKey } from '../attest/types.ts';
import { type DigestSet, digestKeys } from '../model/digest.ts';
import { PredicateType } from '../model/predicate-types.ts';
import { evaluateChain } from '../policy/evaluate.ts';
import type { ChainPolicy, ChainResult, Evidence, EvidenceSet, RejectedEvidence } from '../policy/model.ts';
import type { Store, StoredAttestation } from '../store/index.ts';
import { isGatechainError } from '../util/errors.ts';

export interface VerifyChainOptions {
  store: Store;
  policy: ChainPolicy;
  subject: DigestSet;
  now?: Date;
}

/** Every stored attestation naming any digest of the subject, each row once. */
async function attestationsFor(store: Store, subject: DigestSet): Promise<StoredAttestation[]> {
  const rows = new Map<string, StoredAttestation>();
  for (const key of digestKeys(subject)) {
    for (const row of await store.findAttestations({ subjectDigest: key })) rows.set(row.id, row);
  }
  return [...rows.values()];
}

interface Verified {
  evidence: Evidence[];
  rejected: RejectedEvidence[];
}

/**
 * Verifies stored bundles against every key the policy names. A bundle that fails any step is
 * kept only as a rejection record; its content never reaches the evaluator as evidence.
 */
async function verifyRows(
  rows: StoredAttestation[],
  subject: DigestSet,
  policy: ChainPolicy,
): Promise<Verified> {
  const trustedKeys: TrustedKey[] = [];
  const namesByKeyId = new Map<string, string[]>();
  for (const signer of policy.signers.values()) {
    if (!signer.key) continue;
    const names = namesByKeyId.get(signer.key.keyId);
    if (names) names.push(signer.name);
    else {
      namesByKeyId.set(signer.key.keyId, [signer.name]);
      trustedKeys.push(signer.key);
    }
  }
  const evidence: Evidence[] = [];
  const rejected: RejectedEvidence[] = [];
  for (const row of rows) {
    try {
      const verified = await verifyAttestationBundle(JSON.parse(row.bundleJson), { trustedKeys, subject });
      evidence.push({
        id: row.id,
        statement: verified.statement,
        keyId: verified.signer.keyId,
        signerNames: namesByKeyId.get(verified.signer.keyId) ?? [],
        createdAt: row.createdAt,
      });
    } catch (error) {
      if (!isGatechainError(error)) throw error;
      let predicateType: string | undefined;
      try {
        predicateType = readUntrustedStatement(JSON.parse(row.bundleJson)).predicateType;
      } catch {
        predicateType = row.predicateType;
      }
      rejected.push({ id: row.id, predicateType, code: error.code, reason: error.message });
    }
  }
  return { evidence, rejected };
}

/**
 * The source digests a trusted SLSA provenance names: resolved dependencies that are git
 * commits (or `git+` URIs). This is the walk image → provenance → source.
 */
function sourcesFromProvenance(evidence: Evidence[]): DigestSet[] {
  const sources: DigestSet[] = [];
  for (const item of evidence) {
    if (item.statement.predicateType !== PredicateType.slsaProvenance || item.signerNames.length === 0)
      continue;
    const predicate = item.statement.predicate as { buildDefinition?: { resolvedDependencies?: unknown } };
    const deps = predicate.buildDefinition?.resolvedDependencies;
    if (!Array.isArray(deps)) continue;
    for (const dep of deps as { uri?: unknown; digest?: unknown }[]) {
      const digest = dep?.digest;
      if (digest === null || typeof digest !== 'object') continue;
      const isSource = 'gitCommit' in digest || (typeof dep.uri === 'string' && dep.uri.startsWith('git+'));
      if (isSource) sources.push(digest as DigestSet);
    }
  }
  return sources;
}

/**
 * Verifies the whole chain for a subject: the artifact's attestations, the source found through
 * its provenance (or the subject itself when there is none), then the policy over both.
 */
export async function verifyChain(options: VerifyChainOptions): Promise<ChainResult> {
  const { store, policy, subject } = options;
  const now = options.now ?? new Date();
  const artifact = await verifyRows(await attestationsFor(store, subject), subject, policy);
  const sourceSubjects = sourcesFromProvenance(artifact.evidence);
  let source: Verified = artifact;
  if (sourceSubjects.length > 0) {
    source = { evidence: [], rejected: [] };
    for (const sourceSubject of sourceSubjects) {
      const verified = await verifyRows(await attestationsFor(store, sourceSubject), sourceSubject, policy);
      source.evidence.push(...verified.evidence);
      source.rejected.push(...verified.rejected);
    }
  }
  const set: EvidenceSet = {
    artifact: artifact.evidence,
    source: source.evidence,
    rejected: source === artifact ? artifact.rejected : [...artifact.rejected, ...source.rejected],
    sourceSubjects: sourceSubjects.length > 0 ? sourceSubjects : [subject],
    sourceVia: sourceSubjects.length > 0 ? 'provenance' : 'subject',
  };
  return evaluateChain(policy, subject, set, now);
}
