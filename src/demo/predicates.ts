import type { DigestSet } from '../model/digest.ts';

/**
 * Predicates the demo signs. They stand for what the gate commands produce on a real project,
 * kept small so the output stays readable.
 */
const now = () => new Date().toISOString();

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
