import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { evaluateChain, parseChainPolicy } from '../../src/policy/index.ts';
import type { Evidence, EvidenceSet } from '../../src/policy/model.ts';
import { ARTIFACT, evidence, policyYaml, roleKeys, SOURCE } from './helpers.ts';

const keys = roleKeys();
const NOW = new Date('2026-12-04T12:00:00Z');
const later = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000).toISOString();

const gates = `  - gate: 1
    name: code
    require:
      - predicateType: code-scan
        signers: [ci]
        skipSigners: [ci]
        conditions:
          - path: decision
            equals: pass
  - gate: 2
    name: deps
    require:
      - predicateType: vuln-scan
        signers: [ci]
        vulnerabilities:
          block: [critical]
          onlyWithFix: true
          exceptionSigners: [security]
  - gate: 3
    name: build
    require:
      - predicateType: provenance
        signers: [ci]
`;
const breakGlass = `breakGlass:
  signers: [break-glass]
  maxTtlSeconds: 7200
`;
const policy = await parseChainPolicy(policyYaml(keys, gates, breakGlass));

const vulnScan = (findings: { id: string; score: string; fix?: string }[]) => ({
  scanner: {
    uri: 'x',
    result: findings.map((f) => ({
      id: f.id,
      severity: [{ method: 'CVSSv31', score: f.score }],
      annotations: f.fix ? [{ fixedVersion: f.fix }] : [],
    })),
  },
});

function set(
  source: Evidence[],
  artifact: Evidence[] = [],
  rejected: EvidenceSet['rejected'] = [],
): EvidenceSet {
  return { source, artifact, rejected, sourceSubjects: [SOURCE], sourceVia: 'provenance' };
}

const complete = () => [
  evidence(PredicateType.codeScan, { decision: 'pass' }, 'ci'),
  evidence(PredicateType.vulns, vulnScan([]), 'ci'),
];
const provenance = () => evidence(PredicateType.slsaProvenance, {}, 'ci', { subject: ARTIFACT });

function requirement(result: ReturnType<typeof evaluateChain>, gate: number) {
  const found = result.gates.find((g) => g.gate === gate)?.requirements[0];
  assert.ok(found);
  return found;
}

test('a complete chain passes', () => {
  const result = evaluateChain(policy, ARTIFACT, set(complete(), [provenance()]), NOW);
  assert.equal(result.passed, true);
  assert.equal(result.decision, 'pass');
  assert.deepEqual(result.warnings, []);
});

test('a missing attestation fails its gate with MISSING', () => {
  const result = evaluateChain(policy, ARTIFACT, set([complete()[0] as Evidence], [provenance()]), NOW);
  assert.equal(result.passed, false);
  assert.equal(requirement(result, 2).code, 'MISSING');
  assert.equal(requirement(result, 1).passed, true);
});

test('an attestation by a signer the requirement does not trust fails with SIGNER_UNTRUSTED', () => {
  const source = [
    evidence(PredicateType.codeScan, { decision: 'pass' }, 'security'),
    complete()[1] as Evidence,
  ];
  const result = evaluateChain(policy, ARTIFACT, set(source, [provenance()]), NOW);
  assert.equal(requirement(result, 1).code, 'SIGNER_UNTRUSTED');
});

test('a false condition fails with CONDITION_FAILED and says what it found', () => {
  const source = [evidence(PredicateType.codeScan, { decision: 'fail' }, 'ci'), complete()[1] as Evidence];
  const result = evaluateChain(policy, ARTIFACT, set(source, [provenance()]), NOW);
  const code = requirement(result, 1);
  assert.equal(code.code, 'CONDITION_FAILED');
  assert.match(code.reason, /"fail"/);
});

test('a critical with a fix blocks; a critical without a fix does not (onlyWithFix)', () => {
  const blocked = evaluateChain(
    policy,
    ARTIFACT,
    set(
      [
        complete()[0] as Evidence,
        evidence(PredicateType.vulns, vulnScan([{ id: 'CVE-1', score: '9.8', fix: '1.2.3' }]), 'ci'),
      ],
      [provenance()],
    ),
    NOW,
  );
  assert.equal(requirement(blocked, 2).code, 'VULNERABILITY_BLOCKED');
  const unfixable = evaluateChain(
    policy,
    ARTIFACT,
    set(
      [
        complete()[0] as Evidence,
        evidence(PredicateType.vulns, vulnScan([{ id: 'CVE-1', score: '9.8' }]), 'ci'),
      ],
      [provenance()],
    ),
    NOW,
  );
  assert.equal(requirement(unfixable, 2).passed, true);
});

test('a vuln-exception by the security signer covers listed IDs until it expires', () => {
  const scan = evidence(PredicateType.vulns, vulnScan([{ id: 'CVE-1', score: '9.1', fix: '2' }]), 'ci');
  const exception = (expires: string, signer = 'security') =>
    evidence(PredicateType.vulnException, { ticket: 'SEC-1', vulnerabilities: ['cve-1'], expires }, signer);
  const valid = evaluateChain(
    policy,
    ARTIFACT,
    set([complete()[0] as Evidence, scan, exception(later(24))], [provenance()]),
    NOW,
  );
  assert.equal(valid.passed, true);
  assert.equal(requirement(valid, 2).reliedOn[0]?.kind, 'vuln-exception');
  assert.equal(valid.validUntil, new Date(later(24)).toISOString());
  const expired = evaluateChain(
    policy,
    ARTIFACT,
    set([complete()[0] as Evidence, scan, exception(later(-1))], [provenance()]),
    NOW,
  );
  assert.equal(expired.passed, false);
  assert.equal(requirement(expired, 2).code, 'EXCEPTION_EXPIRED');
  const wrongSigner = evaluateChain(
    policy,
    ARTIFACT,
    set([complete()[0] as Evidence, scan, exception(later(24), 'ci')], [provenance()]),
    NOW,
  );
  assert.equal(requirement(wrongSigner, 2).code, 'VULNERABILITY_BLOCKED');
});

test('a scan-skip before its deadline waives a missing scan; after it, the gate fails', () => {
  const skip = (deadline: string) =>
    evidence(
      PredicateType.scanSkip,
      { scanner: 'secrets', reason: 'outage', deadline, predicateType: PredicateType.codeScan },
      'ci',
    );
  const waived = evaluateChain(
    policy,
    ARTIFACT,
    set([complete()[1] as Evidence, skip(later(3))], [provenance()]),
    NOW,
  );
  assert.equal(waived.passed, true);
  assert.equal(requirement(waived, 1).code, 'WAIVED_SCAN_SKIP');
  const expired = evaluateChain(
    policy,
    ARTIFACT,
    set([complete()[1] as Evidence, skip(later(-3))], [provenance()]),
    NOW,
  );
  assert.equal(requirement(expired, 1).code, 'SCAN_SKIP_EXPIRED');
});

test('break-glass admits a failing chain for its TTL, capped by the policy, then not', () => {
  const glass = (issuedAt: string, ttlSeconds: number) =>
    evidence(
      PredicateType.breakGlass,
      { reason: 'outage', ticket: 'INC-9', ttlSeconds, issuedAt },
      'break-glass',
      { subject: ARTIFACT },
    );
  const within = evaluateChain(policy, ARTIFACT, set([], [glass(later(-1), 7200)]), NOW);
  assert.equal(within.decision, 'break-glass');
  assert.equal(within.passed, true);
  assert.ok(within.warnings.some((w) => w.includes('break-glass')));
  // Claims a day, the policy caps at two hours: issued three hours ago, so expired.
  const capped = evaluateChain(policy, ARTIFACT, set([], [glass(later(-3), 86_400)]), NOW);
  assert.equal(capped.decision, 'fail');
  const wrongSigner = evaluateChain(
    policy,
    ARTIFACT,
    set(
      [],
      [
        evidence(PredicateType.breakGlass, { reason: 'x', ttlSeconds: 7200, issuedAt: later(-1) }, 'ci', {
          subject: ARTIFACT,
        }),
      ],
    ),
    NOW,
  );
  assert.equal(wrongSigner.decision, 'fail');
});

test('stored bundles that failed verification are reported against their requirement', () => {
  const rejected = [
    {
      id: 'f'.repeat(64),
      predicateType: PredicateType.slsaProvenance,
      code: 'SIGNATURE_INVALID',
      reason: 'bad sig',
    },
  ];
  const result = evaluateChain(policy, ARTIFACT, set(complete(), [], rejected), NOW);
  const build = requirement(result, 3);
  assert.equal(build.code, 'VERIFICATION_FAILED');
  assert.match(build.reason, /SIGNATURE_INVALID/);
});
