import type { DigestSet } from '../../model/digest.ts';
import type { Finding } from '../../model/finding.ts';
import { PredicateType } from '../../model/predicate-types.ts';
import type { CodeScanPredicate } from '../../model/predicates/index.ts';
import type { Severity } from '../../model/severity.ts';
import { type ResourceDescriptor, STATEMENT_TYPE_V1, type Statement } from '../../model/statement.ts';
import { canonicalJson } from '../../util/canonical-json.ts';
import { sha256Hex } from './canonical.ts';
import { type CodeGateDecision, isSuppressed } from './decide.ts';

/** One scanner's rule set, by kind: `secrets`, `sast`, `license` (the license policy). */
export interface RuleSetRecord {
  kind: string;
  tool: string;
  /** sha256 hex. */
  sha256: string;
}

/**
 * The code-scan predicate: the shared schema's fields (schemas/code-scan.schema.json) plus
 * gatechain's details. It carries counts and digests only — never a finding's message, snippet
 * or secret value.
 */
export interface GatechainCodeScanPredicate extends CodeScanPredicate {
  ruleSets: RuleSetRecord[];
  counts: CodeScanPredicate['counts'] & { total: number; suppressed: number; byKind: Record<string, number> };
  gate: {
    result: CodeGateDecision['result'];
    mode: 'enforce' | 'audit';
    blocking: CodeGateDecision['blocking'];
    warnings: CodeGateDecision['warnings'];
  };
}

export interface CanonicalFinding {
  kind: string;
  ruleId: string;
  severity: Severity;
  fingerprint: string;
  tool: string;
  file?: string;
  line?: number;
  commit?: string;
  suppressed: boolean;
}

/**
 * The findings list the digest covers: identifying fields only (no messages, snippets or
 * secrets), sorted, so anyone holding the report can recompute the digest.
 */
export function canonicalFindings(findings: readonly Finding[], now: Date): CanonicalFinding[] {
  return findings
    .map((finding) => ({
      kind: finding.kind,
      ruleId: finding.ruleId,
      severity: finding.severity,
      fingerprint: finding.fingerprint,
      tool: finding.tool.name,
      ...(finding.location?.file !== undefined ? { file: finding.location.file } : {}),
      ...(finding.location?.line !== undefined ? { line: finding.location.line } : {}),
      ...(finding.location?.commit !== undefined ? { commit: finding.location.commit } : {}),
      suppressed: isSuppressed(finding, now),
    }))
    .sort((a, b) => {
      const left = canonicalJson(a);
      const right = canonicalJson(b);
      return left < right ? -1 : left > right ? 1 : 0;
    });
}

export function findingsDigest(findings: readonly Finding[], now: Date): DigestSet {
  return { sha256: sha256Hex(canonicalJson(canonicalFindings(findings, now))) };
}

export interface CodeScanInput {
  subject: ResourceDescriptor[];
  tools: { name: string; version: string }[];
  ruleSets: RuleSetRecord[];
  findings: readonly Finding[];
  decision: CodeGateDecision;
  /** The effective policies the decision came from (gate policy and license policy). */
  policy: unknown;
  startedOn: Date;
  finishedOn: Date;
}

export function buildCodeScanStatement(input: CodeScanInput): Statement<GatechainCodeScanPredicate> {
  const now = input.finishedOn;
  const active = input.findings.filter((finding) => !isSuppressed(finding, now));
  const bySeverity: GatechainCodeScanPredicate['counts']['bySeverity'] = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
  };
  const byRule: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  for (const finding of active) {
    bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
    const rule = `${finding.kind}:${finding.ruleId}`;
    byRule[rule] = (byRule[rule] ?? 0) + 1;
    byKind[finding.kind] = (byKind[finding.kind] ?? 0) + 1;
  }
  const ruleSets = [...input.ruleSets].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const blocked = input.decision.result === 'block';
  return {
    _type: STATEMENT_TYPE_V1,
    subject: input.subject,
    predicateType: PredicateType.codeScan,
    predicate: {
      tools: input.tools,
      ruleSetDigest: { sha256: sha256Hex(canonicalJson(ruleSets)) },
      ruleSets,
      counts: {
        total: input.findings.length,
        suppressed: input.findings.length - active.length,
        byKind,
        byRule,
        bySeverity,
      },
      findingsDigest: findingsDigest(input.findings, now),
      decision: blocked ? 'fail' : 'pass',
      policyDigest: { sha256: sha256Hex(canonicalJson(input.policy)) },
      gate: {
        result: input.decision.result,
        mode: input.decision.enforced ? 'enforce' : 'audit',
        blocking: input.decision.blocking,
        warnings: input.decision.warnings,
      },
      scanStartedOn: input.startedOn.toISOString(),
      scanFinishedOn: input.finishedOn.toISOString(),
    },
  };
}
