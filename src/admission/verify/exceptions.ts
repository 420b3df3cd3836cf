import { PredicateType } from '../../model/predicate-types.ts';
import type { Evidence } from '../../policy/model.ts';
import { type ExceptionGrant, exceptionGrant } from '../../policy/vulnerabilities.ts';

export interface ReliedOn {
  id: string;
  kind: 'vuln-exception' | 'break-glass';
  expires: string;
}

/** Unexpired and expired vuln-exception grants about the digest, signed by a security key. */
export function exceptionGrants(evidence: Evidence[], securityKeyIds: ReadonlySet<string>): ExceptionGrant[] {
  return evidence
    .filter((e) => e.statement.predicateType === PredicateType.vulnException && securityKeyIds.has(e.keyId))
    .map(exceptionGrant)
    .filter((grant): grant is ExceptionGrant => grant !== undefined);
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

function idsOfV02(entry: unknown): string[] {
  const record = asRecord(entry);
  if (!record) return [];
  const ids = typeof record['id'] === 'string' ? [record['id']] : [];
  for (const annotation of Array.isArray(record['annotations']) ? record['annotations'] : []) {
    const aliases = asRecord(annotation)?.['aliases'];
    if (Array.isArray(aliases)) ids.push(...aliases.filter((a): a is string => typeof a === 'string'));
  }
  return ids;
}

function idsOfTrivy(entry: unknown): string[] {
  const id = asRecord(entry)?.['VulnerabilityID'];
  return typeof id === 'string' ? [id] : [];
}

export interface ExceptionView {
  /** The predicate with every excepted finding removed: what the policy's conditions see. */
  predicate: unknown;
  reliedOn: ReliedOn[];
  /** Findings only an expired exception covered: kept in the view, named in the reason. */
  expiredFor: string[];
}

/**
 * A vulnerability predicate as the conditions should see it once valid exceptions apply: each
 * finding covered (by ID or alias) by an unexpired exception is taken out. Other predicate types
 * pass through untouched.
 */
export function applyExceptions(
  predicateType: string,
  predicate: unknown,
  grants: ExceptionGrant[],
  now: Date,
): ExceptionView {
  const reliedOn = new Map<string, ReliedOn>();
  const expiredFor: string[] = [];
  const keep = (ids: string[]): boolean => {
    const names = ids.map((id) => id.toUpperCase());
    const covering = grants.filter((grant) => names.some((name) => grant.vulnerabilities.has(name)));
    const valid = covering.find((grant) => grant.expires.getTime() > now.getTime());
    if (valid) {
      reliedOn.set(valid.id, { id: valid.id, kind: 'vuln-exception', expires: valid.expires.toISOString() });
      return false;
    }
    if (covering.length > 0 && ids[0]) expiredFor.push(ids[0]);
    return true;
  };
  if (grants.length === 0) return { predicate, reliedOn: [], expiredFor };
  const root = asRecord(predicate);
  const scanner = asRecord(root?.['scanner']);
  if (predicateType === PredicateType.vulns && root && scanner && Array.isArray(scanner['result'])) {
    const result = scanner['result'].filter((entry) => keep(idsOfV02(entry)));
    return {
      predicate: { ...root, scanner: { ...scanner, result } },
      reliedOn: [...reliedOn.values()],
      expiredFor,
    };
  }
  const report = asRecord(scanner?.['result']);
  if (
    predicateType === PredicateType.cosignVuln &&
    root &&
    scanner &&
    report &&
    Array.isArray(report['Results'])
  ) {
    const results = report['Results'].map((item) => {
      const entry = asRecord(item);
      if (!entry || !Array.isArray(entry['Vulnerabilities'])) return item;
      return { ...entry, Vulnerabilities: entry['Vulnerabilities'].filter((v) => keep(idsOfTrivy(v))) };
    });
    return {
      predicate: { ...root, scanner: { ...scanner, result: { ...report, Results: results } } },
      reliedOn: [...reliedOn.values()],
      expiredFor,
    };
  }
  return { predicate, reliedOn: [], expiredFor };
}
