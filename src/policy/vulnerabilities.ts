import { PredicateType } from '../model/predicate-types.ts';
import { parseSeverity, ratingFromScore, type Severity } from '../model/severity.ts';
import type { Evidence } from './model.ts';
import type { VulnerabilityRule } from './schema.ts';

/** One vulnerability as reported by a vuln-scan predicate, normalised across formats. */
export interface ReportedVulnerability {
  id: string;
  aliases: string[];
  severity: Severity;
  hasFix: boolean;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function severityOf(value: unknown): Severity | undefined {
  if (typeof value === 'number') return ratingFromScore(value);
  if (typeof value !== 'string') return undefined;
  const word = parseSeverity(value);
  if (word) return word;
  const number = Number(value);
  return Number.isFinite(number) && value.trim() !== '' ? ratingFromScore(number) : undefined;
}

const RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, info: 1, unknown: 0 };
const worst = (candidates: (Severity | undefined)[]): Severity =>
  candidates.reduce<Severity>((acc, next) => (next && RANK[next] > RANK[acc] ? next : acc), 'unknown');

function hasFixAnnotation(value: unknown): boolean {
  for (const entry of asArray(value)) {
    for (const [key, fix] of Object.entries(asRecord(entry))) {
      if (/fix/i.test(key) && fix !== null && fix !== '' && fix !== false) return true;
    }
  }
  return false;
}

/**
 * Reads the findings of an in-toto vulns v0.2 predicate, or of a cosign vuln v1 predicate whose
 * result is a Trivy report. Unknown shapes yield no findings — the requirement's conditions are
 * where a policy insists on a shape.
 */
export function reportedVulnerabilities(predicateType: string, predicate: unknown): ReportedVulnerability[] {
  const scanner = asRecord(asRecord(predicate)['scanner']);
  if (predicateType === PredicateType.vulns) {
    return asArray(scanner['result']).flatMap((raw) => {
      const entry = asRecord(raw);
      const id = entry['id'];
      if (typeof id !== 'string') return [];
      const severities = asArray(entry['severity']).map((s) => severityOf(asRecord(s)['score']));
      const annotations = asArray(entry['annotations']);
      const aliases = annotations
        .flatMap((a) => asArray(asRecord(a)['aliases']))
        .filter((a) => typeof a === 'string');
      return [
        {
          id,
          aliases: aliases as string[],
          severity: worst(severities),
          hasFix: hasFixAnnotation(annotations),
        },
      ];
    });
  }
  if (predicateType === PredicateType.cosignVuln) {
    const results = asArray(asRecord(scanner['result'])['Results']);
    return results.flatMap((result) =>
      asArray(asRecord(result)['Vulnerabilities']).flatMap((raw) => {
        const entry = asRecord(raw);
        const id = entry['VulnerabilityID'];
        if (typeof id !== 'string') return [];
        const fixed = entry['FixedVersion'];
        return [
          {
            id,
            aliases: [],
            severity: worst([severityOf(entry['Severity'])]),
            hasFix: typeof fixed === 'string' && fixed !== '',
          },
        ];
      }),
    );
  }
  return [];
}

export interface ExceptionGrant {
  id: string;
  ticket?: string;
  vulnerabilities: Set<string>;
  expires: Date;
}

/** Reads a vuln-exception predicate; a malformed one grants nothing. */
export function exceptionGrant(evidence: Evidence): ExceptionGrant | undefined {
  const predicate = asRecord(evidence.statement.predicate);
  const expires = new Date(String(predicate['expires']));
  const ids = asArray(predicate['vulnerabilities']).filter((v): v is string => typeof v === 'string');
  if (Number.isNaN(expires.getTime()) || ids.length === 0) return undefined;
  const ticket = typeof predicate['ticket'] === 'string' ? predicate['ticket'] : undefined;
  return { id: evidence.id, ticket, vulnerabilities: new Set(ids.map((v) => v.toUpperCase())), expires };
}

export interface VulnerabilityOutcome {
  passed: boolean;
  code: 'OK' | 'VULNERABILITY_BLOCKED' | 'EXCEPTION_EXPIRED';
  reason: string;
  reliedOn: { id: string; kind: 'vuln-exception'; expires: string }[];
}

/**
 * Applies a vulnerability rule: every blocking finding must be covered by an unexpired
 * exception (matched by ID or alias). An exception past its expiry covers nothing.
 */
export function evaluateVulnerabilityRule(
  findings: ReportedVulnerability[],
  rule: VulnerabilityRule,
  exceptions: ExceptionGrant[],
  now: Date,
): VulnerabilityOutcome {
  const blocking = findings.filter((f) => rule.block.includes(f.severity) && (!rule.onlyWithFix || f.hasFix));
  const reliedOn = new Map<string, { id: string; kind: 'vuln-exception'; expires: string }>();
  const uncovered: string[] = [];
  const expiredFor: string[] = [];
  for (const finding of blocking) {
    const names = [finding.id, ...finding.aliases].map((n) => n.toUpperCase());
    const covering = exceptions.filter((grant) => names.some((n) => grant.vulnerabilities.has(n)));
    const valid = covering.find((grant) => grant.expires.getTime() > now.getTime());
    if (valid) {
      reliedOn.set(valid.id, { id: valid.id, kind: 'vuln-exception', expires: valid.expires.toISOString() });
      continue;
    }
    uncovered.push(`${finding.id} (${finding.severity}${finding.hasFix ? ', fix available' : ''})`);
    if (covering.length > 0) expiredFor.push(finding.id);
  }
  const summary = `${blocking.length} blocking finding(s) at ${rule.block.join('/')}${rule.onlyWithFix ? ' with a fix' : ''}`;
  if (uncovered.length === 0) {
    const covered = reliedOn.size > 0 ? `, all covered by ${reliedOn.size} vuln-exception(s)` : '';
    return { passed: true, code: 'OK', reason: `${summary}${covered}`, reliedOn: [...reliedOn.values()] };
  }
  if (expiredFor.length > 0) {
    return {
      passed: false,
      code: 'EXCEPTION_EXPIRED',
      reason: `${summary}; exception expired for ${expiredFor.join(', ')}; uncovered: ${uncovered.join(', ')}`,
      reliedOn: [],
    };
  }
  return {
    passed: false,
    code: 'VULNERABILITY_BLOCKED',
    reason: `${summary}; uncovered: ${uncovered.join(', ')}`,
    reliedOn: [],
  };
}
