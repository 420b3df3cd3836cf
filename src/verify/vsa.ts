import type { LedgerRecord } from '../ledger/index.ts';
import { PredicateType } from '../model/predicate-types.ts';
import type { ResourceDescriptor, Statement } from '../model/statement.ts';
import type { ChainResult } from '../policy/model.ts';

export const GATECHAIN_VERIFIER_ID = 'https://gatechain.dev/verifier/chain/v1';

/** Where a resource is named in a VSA: its name when it has one, else its first digest. */
function resourceUriOf(subject: ResourceDescriptor): string {
  if (subject.uri) return subject.uri;
  if (subject.name) return subject.name;
  const [algorithm, hex] = Object.entries(subject.digest)[0] ?? ['sha256', ''];
  return `${algorithm}:${hex}`;
}

/**
 * A chain verification as a SLSA Verification Summary Attestation: which policy (by digest)
 * decided what about which resource, and which attestations it relied on. Levels name the
 * gates that passed (`GATECHAIN_GATE_<n>`), plus `GATECHAIN_CHAIN` when the whole chain did.
 */
export function vsaStatement(
  result: ChainResult,
  subject: ResourceDescriptor,
  options: { policyUri?: string; version: string },
): Statement {
  const relied = new Set<string>();
  for (const gate of result.gates) {
    for (const requirement of gate.requirements) {
      for (const check of requirement.attestations) if (check.passed) relied.add(check.id);
      for (const waiver of requirement.reliedOn) relied.add(waiver.id);
    }
  }
  if (result.breakGlass) relied.add(result.breakGlass.id);
  const levels = result.gates.filter((gate) => gate.passed).map((gate) => `GATECHAIN_GATE_${gate.gate}`);
  if (result.passed)
    levels.push(result.decision === 'break-glass' ? 'GATECHAIN_CHAIN_BREAK_GLASS' : 'GATECHAIN_CHAIN');
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ ...(subject.name ? { name: subject.name } : {}), digest: subject.digest }],
    predicateType: PredicateType.vsa,
    predicate: {
      verifier: { id: GATECHAIN_VERIFIER_ID, version: { gatechain: options.version } },
      timeVerified: result.evaluatedAt,
      resourceUri: resourceUriOf(subject),
      policy: {
        ...(options.policyUri ? { uri: options.policyUri } : {}),
        digest: { sha256: result.policy.digest },
      },
      inputAttestations: [...relied]
        .sort()
        .map((id) => ({ uri: `gatechain:attestation/${id}`, digest: { sha256: id } })),
      verificationResult: result.passed ? 'PASSED' : 'FAILED',
      verifiedLevels: levels,
    },
  };
}

const MAX_REASONS = 32;
const MAX_REASON_CHARS = 1024;

/**
 * The audit-log record of a chain decision: digests only. Break-glass admissions are logged as
 * `warn`, so they stand out from clean passes.
 */
export function chainDecisionRecord(result: ChainResult, vsaBundleDigest?: string): LedgerRecord {
  const reasons = result.gates
    .flatMap((gate) =>
      gate.requirements
        .filter((r) => !r.passed)
        .map((r) => `gate ${gate.gate} ${r.predicateType}: ${r.code}: ${r.reason}`),
    )
    .concat(result.warnings)
    .slice(0, MAX_REASONS)
    .map((reason) => reason.slice(0, MAX_REASON_CHARS));
  return {
    kind: 'gate-decision',
    v: 1,
    gate: 'chain',
    decision: result.decision === 'pass' ? 'pass' : result.decision === 'break-glass' ? 'warn' : 'fail',
    subjects: [result.subject],
    policyDigest: `sha256:${result.policy.digest}`,
    ...(vsaBundleDigest ? { attestationDigest: `sha256:${vsaBundleDigest}` } : {}),
    ...(reasons.length > 0 ? { reasons } : {}),
    time: result.evaluatedAt,
  };
}
