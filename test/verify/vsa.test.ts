import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateRecord } from '../../src/ledger/index.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { validatePredicate } from '../../src/model/predicates/index.ts';
import type { ChainResult } from '../../src/policy/model.ts';
import { chainDecisionRecord, vsaStatement } from '../../src/verify/index.ts';

const subject = { name: 'app.tgz', digest: { sha256: 'a'.repeat(64) } };
const ok = (id: string) => ({ id, signer: 'ci', passed: true, code: 'OK' as const, reason: 'fine' });

function result(overrides: Partial<ChainResult> = {}): ChainResult {
  return {
    subject: subject.digest,
    policy: { name: 'p', digest: 'b'.repeat(64) },
    passed: true,
    decision: 'pass',
    evaluatedAt: '2026-12-04T12:00:00.000Z',
    gates: [
      {
        gate: 1,
        name: 'code',
        about: 'source',
        passed: true,
        requirements: [
          {
            predicateType: PredicateType.codeScan,
            passed: true,
            code: 'OK',
            reason: 'fine',
            attestations: [ok('1'.repeat(64))],
            reliedOn: [],
          },
        ],
      },
      {
        gate: 2,
        name: 'deps',
        about: 'source',
        passed: true,
        requirements: [
          {
            predicateType: PredicateType.vulns,
            passed: true,
            code: 'OK',
            reason: 'covered',
            attestations: [ok('2'.repeat(64))],
            reliedOn: [{ id: '3'.repeat(64), kind: 'vuln-exception', expires: '2026-12-10T00:00:00.000Z' }],
          },
        ],
      },
    ],
    source: { via: 'subject', subjects: [subject.digest] },
    warnings: [],
    ...overrides,
  };
}

test('a passing chain becomes a schema-valid VSA naming the policy digest and every attestation relied on', () => {
  const statement = vsaStatement(result(), subject, { policyUri: 'file:///p.yaml', version: '1.2.3' });
  assert.equal(statement.predicateType, PredicateType.vsa);
  assert.deepEqual(statement.subject, [subject]);
  assert.equal(validatePredicate(statement.predicateType, statement.predicate).validated, true);
  const predicate = statement.predicate as Record<string, unknown> & {
    inputAttestations: { digest: { sha256: string } }[];
  };
  assert.equal(predicate['verificationResult'], 'PASSED');
  assert.deepEqual(predicate['verifiedLevels'], ['GATECHAIN_GATE_1', 'GATECHAIN_GATE_2', 'GATECHAIN_CHAIN']);
  assert.deepEqual((predicate['policy'] as { digest: unknown }).digest, { sha256: 'b'.repeat(64) });
  assert.deepEqual(
    predicate.inputAttestations.map((a) => a.digest.sha256),
    ['1'.repeat(64), '2'.repeat(64), '3'.repeat(64)],
  );
});

test('a failing chain is a FAILED VSA and a fail decision record with bounded reasons', () => {
  const failing = result({ passed: false, decision: 'fail' });
  const gate = failing.gates[1];
  assert.ok(gate);
  gate.passed = false;
  gate.requirements = Array.from({ length: 40 }, (_, i) => ({
    predicateType: PredicateType.vulns,
    passed: false,
    code: 'VULNERABILITY_BLOCKED' as const,
    reason: `reason ${i} ${'x'.repeat(2000)}`,
    attestations: [],
    reliedOn: [],
  }));
  const statement = vsaStatement(failing, subject, { version: '1' });
  const predicate = statement.predicate as Record<string, unknown>;
  assert.equal(predicate['verificationResult'], 'FAILED');
  assert.deepEqual(predicate['verifiedLevels'], ['GATECHAIN_GATE_1']);
  const record = validateRecord(chainDecisionRecord(failing, 'c'.repeat(64)));
  assert.equal(record.kind, 'gate-decision');
  if (record.kind !== 'gate-decision') return;
  assert.equal(record.decision, 'fail');
  assert.equal(record.attestationDigest, `sha256:${'c'.repeat(64)}`);
  assert.equal(record.reasons?.length, 32);
  assert.ok(record.reasons?.every((r) => r.length <= 1024));
});

test('break-glass is logged as warn and named in the VSA levels', () => {
  const glass = result({
    passed: true,
    decision: 'break-glass',
    breakGlass: { id: '4'.repeat(64), reason: 'outage', expires: '2026-12-04T14:00:00.000Z' },
  });
  const record = validateRecord(chainDecisionRecord(glass));
  assert.equal(record.kind === 'gate-decision' && record.decision, 'warn');
  const predicate = vsaStatement(glass, subject, { version: '1' }).predicate as { verifiedLevels: string[] };
  assert.ok(predicate.verifiedLevels.includes('GATECHAIN_CHAIN_BREAK_GLASS'));
});
