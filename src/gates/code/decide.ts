import type { Finding, FindingKind } from '../../model/finding.ts';
import { isAtLeast, type Severity } from '../../model/severity.ts';
import { isExpired } from '../../scanners/licenses/exceptions.ts';
import type { CodeGatePolicy, FindingKindPolicy, Threshold } from './policy.ts';

export type GateResult = 'pass' | 'warn' | 'block';

export interface DecisionReason {
  kind: FindingKind;
  ruleId: string;
  severity: Severity;
  count: number;
}

export interface CodeGateDecision {
  result: GateResult;
  /** False in audit mode: a block is recorded but does not fail the run. */
  enforced: boolean;
  blocking: DecisionReason[];
  warnings: DecisionReason[];
  suppressed: number;
  ignored: number;
}

/** A suppression counts while it has no expiry or its expiry is not yet past. */
export function isSuppressed(finding: Finding, now: Date): boolean {
  return (finding.suppressions ?? []).some(({ expires }) => !expires || !isExpired({ expires }, now));
}

function meets(severity: Severity, threshold: Threshold): boolean {
  if (threshold === 'none') return false;
  if (threshold === 'any') return true;
  return isAtLeast(severity, threshold);
}

function classifyBySeverity(
  finding: Finding,
  policy: FindingKindPolicy,
): 'block' | 'warn' | 'ignore' | 'none' {
  if (policy.ignoreRules.includes(finding.ruleId)) return 'ignore';
  if (policy.blockRules.includes(finding.ruleId) || meets(finding.severity, policy.block)) return 'block';
  return meets(finding.severity, policy.warn) ? 'warn' : 'none';
}

function classifyLicense(finding: Finding, policy: CodeGatePolicy['license']): 'block' | 'warn' | 'none' {
  if (finding.ruleId === 'license/exception-expired') return 'warn';
  const verdict =
    finding.ruleId === 'license/deny' ? 'deny' : finding.ruleId === 'license/review' ? 'review' : undefined;
  if (!verdict) return 'none';
  if (policy.block.includes(verdict)) return 'block';
  return policy.warn.includes(verdict) ? 'warn' : 'none';
}

function group(findings: Finding[]): DecisionReason[] {
  const byKey = new Map<string, DecisionReason>();
  for (const finding of findings) {
    const key = `${finding.kind}\0${finding.ruleId}\0${finding.severity}`;
    const reason = byKey.get(key);
    if (reason) reason.count++;
    else byKey.set(key, { kind: finding.kind, ruleId: finding.ruleId, severity: finding.severity, count: 1 });
  }
  return [...byKey.values()].sort((a, b) =>
    a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0,
  );
}

/**
 * The gate decision over all of gate 1's findings (secret, sast, license kinds; others are
 * ignored). Suppressed findings never block; anything blocking makes the result `block`.
 */
export function decideCodeGate(
  findings: readonly Finding[],
  policy: CodeGatePolicy,
  now: Date,
): CodeGateDecision {
  const blocking: Finding[] = [];
  const warnings: Finding[] = [];
  let suppressed = 0;
  let ignored = 0;
  for (const finding of findings) {
    if (isSuppressed(finding, now)) {
      suppressed++;
      continue;
    }
    let outcome: 'block' | 'warn' | 'ignore' | 'none';
    if (finding.kind === 'secret') outcome = classifyBySeverity(finding, policy.secrets);
    else if (finding.kind === 'sast') outcome = classifyBySeverity(finding, policy.sast);
    else if (finding.kind === 'license') outcome = classifyLicense(finding, policy.license);
    else outcome = 'none';
    if (outcome === 'block') blocking.push(finding);
    else if (outcome === 'warn') warnings.push(finding);
    else if (outcome === 'ignore') ignored++;
  }
  return {
    result: blocking.length > 0 ? 'block' : warnings.length > 0 ? 'warn' : 'pass',
    enforced: policy.mode === 'enforce',
    blocking: group(blocking),
    warnings: group(warnings),
    suppressed,
    ignored,
  };
}
