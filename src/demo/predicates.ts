import { createHash } from 'node:crypto';
import type { DigestSet } from '../model/digest.ts';

/**
 * Predicates the demo signs. They stand for what the gate commands produce on a real project,
 * kept small so the output stays readable.
 */
const now = () => new Date().toISOString();

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

export function sbomPredicate(components: { name: string; version: string }[]) {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: components.map((c) => ({
      type: 'library',
      'bom-ref': `pkg:npm/${c.name}@${c.version}`,
      name: c.name,
      version: c.version,
      purl: `pkg:npm/${c.name}@${c.version}`,
    })),
  };
}

export interface DemoVulnerability {
  id: string;
  cvss: number;
  fixedVersion?: string;
  purl: string;
}

export function vulnScanPredicate(findings: DemoVulnerability[]) {
  return {
    scanner: {
      uri: 'https://gatechain.dev/scanner/deps',
      version: '0.1.0',
      db: { uri: 'https://osv.dev', version: 'demo', lastUpdate: now() },
      result: findings.map((f) => ({
        id: f.id,
        severity: [{ method: 'CVSSv31', score: String(f.cvss) }],
        annotations: [{ purl: f.purl, ...(f.fixedVersion ? { fixedVersion: f.fixedVersion } : {}) }],
      })),
    },
    metadata: { scanStartedOn: now(), scanFinishedOn: now() },
  };
}

export function provenancePredicate(commit: string, repoUri: string) {
  return {
    buildDefinition: {
      buildType: 'https://gatechain.dev/demo-build/v1',
      externalParameters: { repository: repoUri, ref: 'refs/heads/main' },
      resolvedDependencies: [{ uri: `git+${repoUri}@refs/heads/main`, digest: { gitCommit: commit } }],
    },
    runDetails: {
      builder: { id: 'https://gatechain.dev/demo-builder' },
      metadata: { invocationId: 'demo', startedOn: now(), finishedOn: now() },
    },
  };
}

export function dastPredicate(artifact: DigestSet) {
  return {
    result: 'PASSED',
    configuration: [{ name: 'zap-baseline', digest: artifact }],
    passedTests: ['no high or critical alerts on staging'],
    warnedTests: [],
    failedTests: [],
  };
}

export function vulnExceptionPredicate(ids: string[], ticket: string, days: number) {
  return {
    ticket,
    vulnerabilities: ids,
    expires: new Date(Date.now() + days * 86_400_000).toISOString(),
    reason: 'not reachable from the service: the vulnerable function is never called (demo)',
  };
}
