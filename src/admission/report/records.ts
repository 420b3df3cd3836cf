import type { ValidationOutcome } from '../engine.ts';

/** One row of the admission audit trail: a violation, or a break-glass admission. */
export interface AdmissionRecord {
  time: string;
  uid: string;
  namespace: string;
  kind: string;
  name: string;
  apiVersion: string;
  policy: string;
  rule: string;
  image: string;
  digest?: string;
  /** PolicyReport result: `fail` for a violation, `warn` for a break-glass admission. */
  result: 'fail' | 'warn';
  /** The failure action in force: Enforce blocked it (unless break-glass), Audit only reported it. */
  action: 'Audit' | 'Enforce';
  blocked: boolean;
  message: string;
}

/** Flattens a validation outcome into audit records. */
export function recordsOf(outcome: ValidationOutcome, time: Date): AdmissionRecord[] {
  const { resource } = outcome;
  const base = {
    time: time.toISOString(),
    uid: resource.uid,
    namespace: resource.namespace,
    kind: resource.kind,
    name: resource.name,
    apiVersion: resource.apiVersion,
  };
  const rescued = new Set(outcome.breakGlass.map((b) => b.digest));
  const records: AdmissionRecord[] = outcome.violations.map((v) => ({
    ...base,
    policy: v.policy,
    rule: v.rule,
    image: v.image,
    ...(v.digest ? { digest: v.digest } : {}),
    result: 'fail',
    action: v.action,
    blocked: v.action === 'Enforce' && !outcome.decision.allowed && !(v.digest && rescued.has(v.digest)),
    message: v.message,
  }));
  for (const use of outcome.breakGlass) {
    records.push({
      ...base,
      policy: 'gatechain-break-glass',
      rule: 'break-glass',
      image: use.image,
      digest: use.digest,
      result: 'warn',
      action: 'Enforce',
      blocked: false,
      message: `admitted by break-glass ${use.grant.ticket ?? use.grant.id} (${use.grant.reason}) until ${use.grant.expires}`,
    });
  }
  return records;
}

export interface PolicyReport {
  apiVersion: 'wgpolicyk8s.io/v1alpha2';
  kind: 'PolicyReport';
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  scope: { apiVersion: string; kind: string; name: string; namespace?: string; uid: string };
  results: Array<{
    policy: string;
    rule: string;
    result: 'fail' | 'warn';
    message: string;
    source: 'gatechain';
    scored: true;
    severity?: string;
    timestamp: { seconds: number; nanos: number };
    properties: Record<string, string>;
  }>;
  summary: { pass: number; fail: number; warn: number; error: number; skip: number };
}

/** Groups records by admission request into PolicyReport objects (one per resource, as Kyverno does). */
export function toPolicyReports(records: AdmissionRecord[]): PolicyReport[] {
  const byUid = new Map<string, AdmissionRecord[]>();
  for (const record of records) {
    const list = byUid.get(record.uid) ?? [];
    list.push(record);
    byUid.set(record.uid, list);
  }
  return [...byUid.values()].map((list) => {
    const first = list[0]!;
    const results = list.map((r) => {
      const ms = Date.parse(r.time);
      return {
        policy: r.policy,
        rule: r.rule,
        result: r.result,
        message: r.message,
        source: 'gatechain' as const,
        scored: true as const,
        timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 },
        properties: {
          image: r.image,
          ...(r.digest ? { digest: r.digest } : {}),
          action: r.action,
          blocked: String(r.blocked),
        },
      };
    });
    return {
      apiVersion: 'wgpolicyk8s.io/v1alpha2' as const,
      kind: 'PolicyReport' as const,
      metadata: {
        name: first.uid,
        ...(first.namespace ? { namespace: first.namespace } : {}),
        labels: { 'app.kubernetes.io/managed-by': 'gatechain' },
      },
      scope: {
        apiVersion: first.apiVersion,
        kind: first.kind,
        name: first.name,
        ...(first.namespace ? { namespace: first.namespace } : {}),
        uid: first.uid,
      },
      results,
      summary: {
        pass: 0,
        fail: results.filter((r) => r.result === 'fail').length,
        warn: results.filter((r) => r.result === 'warn').length,
        error: 0,
        skip: 0,
      },
    };
  });
}

export interface RolloutSummary {
  /** Violations under Audit: what Enforce would have blocked. */
  wouldBlock: {
    total: number;
    byNamespace: Record<string, number>;
    byImage: Record<string, number>;
    byRule: Record<string, number>;
  };
  /** Violations actually blocked under Enforce. */
  blocked: {
    total: number;
    byNamespace: Record<string, number>;
    byImage: Record<string, number>;
    byRule: Record<string, number>;
  };
  breakGlass: number;
}

/** Counts distinct requests (by uid) per namespace, image and rule. */
export function summarise(records: AdmissionRecord[]): RolloutSummary {
  const bucket = () => ({
    total: 0,
    byNamespace: {} as Record<string, number>,
    byImage: {} as Record<string, number>,
    byRule: {} as Record<string, number>,
  });
  const wouldBlock = bucket();
  const blocked = bucket();
  const seen = new Set<string>();
  const add = (target: ReturnType<typeof bucket>, r: AdmissionRecord, kind: string) => {
    const bump = (map: Record<string, number>, key: string, dedupe: string) => {
      if (seen.has(`${kind}|${dedupe}|${key}|${r.uid}`)) return;
      seen.add(`${kind}|${dedupe}|${key}|${r.uid}`);
      map[key] = (map[key] ?? 0) + 1;
    };
    if (!seen.has(`${kind}|total|${r.uid}`)) {
      seen.add(`${kind}|total|${r.uid}`);
      target.total++;
    }
    bump(target.byNamespace, r.namespace || '(cluster)', 'ns');
    bump(target.byImage, r.image, 'image');
    bump(target.byRule, `${r.policy}/${r.rule}`, 'rule');
  };
  let breakGlass = 0;
  for (const r of records) {
    if (r.result === 'warn') breakGlass++;
    else if (r.action === 'Audit') add(wouldBlock, r, 'audit');
    else if (r.blocked) add(blocked, r, 'enforce');
  }
  return { wouldBlock, blocked, breakGlass };
}
