import { verifyAttestationBundle } from '../../attest/index.ts';
import type { TrustedKey } from '../../attest/types.ts';
import { digestKeys } from '../../model/digest.ts';
import { PredicateType } from '../../model/predicate-types.ts';
import type { ResourceDescriptor } from '../../model/statement.ts';
import type { ChainPolicy } from '../../policy/model.ts';
import type { Store } from '../../store/index.ts';
import { isGatechainError } from '../../util/errors.ts';
import type { VerifiedVulnException } from '../deps.ts';

/** Signer names the policy trusts for gate 2's vuln-exceptions (`exceptionSigners`). */
export function exceptionSignerNames(policy: ChainPolicy): string[] {
  const names = new Set<string>();
  for (const gate of policy.gates) {
    if (gate.gate !== 2) continue;
    for (const requirement of gate.require)
      for (const name of requirement.vulnerabilities?.exceptionSigners ?? []) names.add(name);
  }
  return [...names];
}

export interface LoadedExceptions {
  exceptions: VerifiedVulnException[];
  /** Stored vuln-exceptions about the subject that failed verification (never honoured). */
  rejected: Array<{ id: string; code: string; reason: string }>;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * The vuln-exception attestations stored for the subject whose bundle verifies against one of the
 * policy's exception signers' keys and whose subject digest matches. Anything else — unsigned,
 * signed by another key, about another artifact, malformed — is reported and ignored: fail closed.
 */
export async function loadVerifiedExceptions(
  store: Store,
  policy: ChainPolicy,
  subject: ResourceDescriptor,
): Promise<LoadedExceptions> {
  const trustedKeys: TrustedKey[] = [];
  for (const name of exceptionSignerNames(policy)) {
    const key = policy.signers.get(name)?.key;
    if (key) trustedKeys.push(key);
  }
  const rows = new Map<string, { id: string; bundleJson: string }>();
  for (const key of digestKeys(subject.digest)) {
    for (const row of await store.findAttestations({
      subjectDigest: key,
      predicateType: PredicateType.vulnException,
    }))
      rows.set(row.id, row);
  }
  const out: LoadedExceptions = { exceptions: [], rejected: [] };
  if (trustedKeys.length === 0) {
    for (const row of rows.values())
      out.rejected.push({
        id: row.id,
        code: 'SIGNER_UNTRUSTED',
        reason: 'the policy names no exception signer for gate 2',
      });
    return out;
  }
  for (const row of rows.values()) {
    try {
      const verified = await verifyAttestationBundle(JSON.parse(row.bundleJson), {
        trustedKeys,
        subject: subject.digest,
      });
      const predicate = asRecord(verified.statement.predicate);
      const vulnerabilities = Array.isArray(predicate['vulnerabilities'])
        ? predicate['vulnerabilities'].filter((v): v is string => typeof v === 'string')
        : [];
      const expires = predicate['expires'];
      if (vulnerabilities.length === 0 || typeof expires !== 'string' || Number.isNaN(Date.parse(expires))) {
        out.rejected.push({
          id: row.id,
          code: 'EXCEPTION_INVALID',
          reason: 'vuln-exception needs vulnerabilities and an RFC 3339 expires',
        });
        continue;
      }
      const purls = asRecord(predicate['scope'])['purls'];
      out.exceptions.push({
        attestationId: row.id,
        signer: verified.signer.name ?? verified.signer.keyId,
        ticket: typeof predicate['ticket'] === 'string' ? predicate['ticket'] : '(no ticket)',
        vulnerabilities,
        expires,
        ...(Array.isArray(purls) ? { purls: purls.filter((p): p is string => typeof p === 'string') } : {}),
      });
    } catch (error) {
      if (!isGatechainError(error) && !(error instanceof SyntaxError)) throw error;
      out.rejected.push({
        id: row.id,
        code: isGatechainError(error) ? error.code : 'BUNDLE_INVALID',
        reason: error.message,
      });
    }
  }
  return out;
}
