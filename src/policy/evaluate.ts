import { PredicateType } from '../model/predicate-types.ts';
import { evaluateCondition } from './conditions.ts';
import type {
  AttestationCheck,
  ChainPolicy,
  ChainResult,
  Evidence,
  EvidenceSet,
  GateResult,
  RequirementResult,
} from './model.ts';
import type { RequirementDocument } from './schema.ts';
import { evaluateVulnerabilityRule, exceptionGrant, reportedVulnerabilities } from './vulnerabilities.ts';

/** Gates 1 and 2 speak about the source, 3–5 about the artifact, unless the policy says otherwise. */
export function defaultAbout(gate: number): 'source' | 'artifact' {
  return gate <= 2 ? 'source' : 'artifact';
}

/** CycloneDX statements carry the spec version in the URI (`…/bom/v1.6`); treat them as one type. */
export function predicateTypeMatches(required: string, actual: string): boolean {
  if (required === actual) return true;
  if (required === PredicateType.cyclonedx) return actual.startsWith(`${PredicateType.cyclonedx}/`);
  return false;
}

const newestFirst = (a: Evidence, b: Evidence) => b.createdAt.localeCompare(a.createdAt);

function checkCandidate(
  candidate: Evidence,
  requirement: RequirementDocument,
  exceptions: Evidence[],
  now: Date,
): AttestationCheck & { reliedOn: RequirementResult['reliedOn'] } {
  const signer = candidate.signerNames.find((name) => requirement.signers.includes(name));
  const base = {
    id: candidate.id,
    signer: signer ?? candidate.signerNames[0] ?? candidate.keyId.slice(0, 16),
  };
  if (!signer) {
    return {
      ...base,
      passed: false,
      code: 'SIGNER_UNTRUSTED',
      reason: `signed by ${candidate.signerNames.join('/') || `key ${candidate.keyId.slice(0, 16)}`}, not by ${requirement.signers.join(' or ')}`,
      reliedOn: [],
    };
  }
  const reasons: string[] = [];
  for (const condition of requirement.conditions) {
    const outcome = evaluateCondition(condition, candidate.statement.predicate);
    if (!outcome.passed)
      return { ...base, passed: false, code: 'CONDITION_FAILED', reason: outcome.reason, reliedOn: [] };
    reasons.push(outcome.reason);
  }
  let reliedOn: RequirementResult['reliedOn'] = [];
  if (requirement.vulnerabilities) {
    const rule = requirement.vulnerabilities;
    const grants = exceptions
      .filter((e) => e.signerNames.some((name) => rule.exceptionSigners.includes(name)))
      .flatMap((e) => exceptionGrant(e) ?? []);
    const findings = reportedVulnerabilities(
      candidate.statement.predicateType,
      candidate.statement.predicate,
    );
    const outcome = evaluateVulnerabilityRule(findings, rule, grants, now);
    if (!outcome.passed)
      return { ...base, passed: false, code: outcome.code, reason: outcome.reason, reliedOn: [] };
    reasons.push(outcome.reason);
    reliedOn = outcome.reliedOn;
  }
  return {
    ...base,
    passed: true,
    code: 'OK',
    reason: reasons.join('; ') || 'signature and signer valid',
    reliedOn,
  };
}

function scanSkipWaiver(
  requirement: RequirementDocument,
  gate: number,
  evidence: Evidence[],
  now: Date,
): { result?: RequirementResult; expired?: AttestationCheck } {
  if (requirement.skipSigners.length === 0) return {};
  let expired: AttestationCheck | undefined;
  for (const skip of evidence
    .filter((e) => e.statement.predicateType === PredicateType.scanSkip)
    .sort(newestFirst)) {
    const signer = skip.signerNames.find((name) => requirement.skipSigners.includes(name));
    if (!signer) continue;
    const predicate = skip.statement.predicate as Record<string, unknown>;
    const coversType =
      predicate['predicateType'] === undefined || predicate['predicateType'] === requirement.predicateType;
    const coversGate = predicate['gate'] === undefined || predicate['gate'] === gate;
    if (!coversType || !coversGate) continue;
    const deadline = new Date(String(predicate['deadline']));
    if (Number.isNaN(deadline.getTime())) continue;
    const scanner = String(predicate['scanner'] ?? 'scanner');
    if (deadline.getTime() <= now.getTime()) {
      expired ??= {
        id: skip.id,
        signer,
        passed: false,
        code: 'SCAN_SKIP_EXPIRED',
        reason: `scan-skip for ${scanner} expired at ${deadline.toISOString()}`,
      };
      continue;
    }
    const reason = `waived: ${scanner} skipped (${String(predicate['reason'] ?? 'no reason')}), rescan due by ${deadline.toISOString()}`;
    return {
      result: {
        predicateType: requirement.predicateType,
        passed: true,
        code: 'WAIVED_SCAN_SKIP',
        reason,
        attestations: [{ id: skip.id, signer, passed: true, code: 'WAIVED_SCAN_SKIP', reason }],
        reliedOn: [{ id: skip.id, kind: 'scan-skip', expires: deadline.toISOString() }],
      },
    };
  }
  return { expired };
}

function evaluateRequirement(
  requirement: RequirementDocument,
  gate: number,
  evidence: Evidence[],
  exceptions: Evidence[],
  rejected: EvidenceSet['rejected'],
  now: Date,
): RequirementResult {
  const candidates = evidence
    .filter((e) => predicateTypeMatches(requirement.predicateType, e.statement.predicateType))
    .sort(newestFirst);
  const checks: AttestationCheck[] = [];
  for (const candidate of candidates) {
    const { reliedOn, ...check } = checkCandidate(candidate, requirement, exceptions, now);
    checks.push(check);
    if (check.passed) {
      return {
        predicateType: requirement.predicateType,
        passed: true,
        code: 'OK',
        reason: check.reason,
        attestations: checks,
        reliedOn,
      };
    }
  }
  for (const failure of rejected.filter(
    (r) => r.predicateType !== undefined && predicateTypeMatches(requirement.predicateType, r.predicateType),
  )) {
    checks.push({
      id: failure.id,
      passed: false,
      code: 'VERIFICATION_FAILED',
      reason: `${failure.code}: ${failure.reason}`,
    });
  }
  const waiver = scanSkipWaiver(requirement, gate, evidence, now);
  if (waiver.result) return { ...waiver.result, attestations: [...checks, ...waiver.result.attestations] };
  if (waiver.expired) checks.push(waiver.expired);
  const first = checks[0];
  if (!first) {
    return {
      predicateType: requirement.predicateType,
      passed: false,
      code: 'MISSING',
      reason: `no ${requirement.predicateType} attestation for this subject`,
      attestations: [],
      reliedOn: [],
    };
  }
  // Report the most telling failure: a policy failure of a trusted attestation beats an
  // untrusted signer or a broken bundle.
  const order = [
    'EXCEPTION_EXPIRED',
    'VULNERABILITY_BLOCKED',
    'CONDITION_FAILED',
    'SCAN_SKIP_EXPIRED',
    'VERIFICATION_FAILED',
    'SIGNER_UNTRUSTED',
  ];
  const telling = [...checks].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code))[0] ?? first;
  return {
    predicateType: requirement.predicateType,
    passed: false,
    code: telling.code,
    reason: telling.reason,
    attestations: checks,
    reliedOn: [],
  };
}

function breakGlassGrant(policy: ChainPolicy, evidence: Evidence[], now: Date, warnings: string[]) {
  const config = policy.breakGlass;
  if (!config) return undefined;
  for (const record of evidence
    .filter((e) => e.statement.predicateType === PredicateType.breakGlass)
    .sort(newestFirst)) {
    if (!record.signerNames.some((name) => config.signers.includes(name))) continue;
    const predicate = record.statement.predicate as Record<string, unknown>;
    const issuedAt = new Date(String(predicate['issuedAt'] ?? record.createdAt));
    if (Number.isNaN(issuedAt.getTime())) continue;
    const claimed =
      typeof predicate['ttlSeconds'] === 'number' ? predicate['ttlSeconds'] : config.maxTtlSeconds;
    const ttl = Math.min(claimed, config.maxTtlSeconds);
    const expires = new Date(issuedAt.getTime() + ttl * 1000);
    if (expires.getTime() <= now.getTime()) {
      warnings.push(`break-glass ${record.id.slice(0, 12)} expired at ${expires.toISOString()}`);
      continue;
    }
    return {
      id: record.id,
      reason: String(predicate['reason'] ?? ''),
      ticket: typeof predicate['ticket'] === 'string' ? predicate['ticket'] : undefined,
      expires: expires.toISOString(),
    };
  }
  return undefined;
}

/**
 * Evaluates a chain policy over verified evidence. Pure: the same policy, evidence and time
 * always give the same result. Only `passed` decides; everything else explains.
 */
export function evaluateChain(
  policy: ChainPolicy,
  subject: Record<string, string>,
  evidence: EvidenceSet,
  now: Date,
): ChainResult {
  const warnings: string[] = [];
  const everything = [...evidence.artifact, ...evidence.source];
  const exceptions = everything.filter((e) => e.statement.predicateType === PredicateType.vulnException);
  const gates: GateResult[] = policy.gates.map((gate) => {
    const about = gate.about ?? defaultAbout(gate.gate);
    const pool = about === 'source' ? evidence.source : evidence.artifact;
    const requirements = gate.require.map((requirement) =>
      evaluateRequirement(requirement, gate.gate, pool, exceptions, evidence.rejected, now),
    );
    return {
      gate: gate.gate,
      name: gate.name,
      about,
      passed: requirements.every((r) => r.passed),
      requirements,
    };
  });
  for (const gate of gates) {
    for (const requirement of gate.requirements) {
      for (const relied of requirement.reliedOn) {
        warnings.push(
          `gate ${gate.gate} relies on ${relied.kind} ${relied.id.slice(0, 12)} until ${relied.expires}`,
        );
      }
    }
  }
  const chainPassed = gates.every((gate) => gate.passed);
  const expiries = gates.flatMap((g) => g.requirements.flatMap((r) => r.reliedOn.map((x) => x.expires)));
  let decision: ChainResult['decision'] = chainPassed ? 'pass' : 'fail';
  let breakGlass: ChainResult['breakGlass'];
  if (!chainPassed) {
    breakGlass = breakGlassGrant(policy, evidence.artifact, now, warnings);
    if (breakGlass) {
      decision = 'break-glass';
      expiries.push(breakGlass.expires);
      warnings.push(
        `admitted by break-glass ${breakGlass.id.slice(0, 12)} (${breakGlass.reason}) until ${breakGlass.expires}`,
      );
    }
  }
  const validUntil = expiries.sort()[0];
  return {
    subject,
    policy: { name: policy.name, digest: policy.digest },
    passed: decision !== 'fail',
    decision,
    evaluatedAt: now.toISOString(),
    gates,
    source: { via: evidence.sourceVia, subjects: evidence.sourceSubjects },
    ...(breakGlass ? { breakGlass } : {}),
    warnings,
    ...(validUntil ? { validUntil } : {}),
  };
}
