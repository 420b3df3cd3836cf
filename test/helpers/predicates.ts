import { createHash } from 'node:crypto';

/** A minimal code-scan predicate that passes its schema, with the decision the test needs. */
export function codeScanPredicate(decision: 'pass' | 'fail' = 'pass') {
  const findings: unknown[] = [];
  return {
    tools: [
      { name: 'gatechain-secrets', version: '0.1.0' },
      { name: 'gatechain-sast', version: '0.1.0' },
    ],
    ruleSetDigest: { sha256: createHash('sha256').update('demo rules').digest('hex') },
    counts: { byRule: {}, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 } },
    findingsDigest: { sha256: createHash('sha256').update(JSON.stringify(findings)).digest('hex') },
    decision,
    policyDigest: { sha256: createHash('sha256').update('demo gate policy').digest('hex') },
  };
}
