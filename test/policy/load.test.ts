import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { parseChainPolicy } from '../../src/policy/index.ts';
import { GatechainError } from '../../src/util/errors.ts';
import { policyYaml, roleKeys } from './helpers.ts';

const keys = roleKeys();

const gates = `  - gate: 2
    name: deps
    require:
      - predicateType: vuln-scan
        signers: [ci]
        vulnerabilities:
          block: [critical]
          exceptionSigners: [security]
`;

async function rejection(text: string): Promise<GatechainError> {
  try {
    await parseChainPolicy(text, { file: 'policy.yaml' });
  } catch (error) {
    assert.ok(error instanceof GatechainError, String(error));
    return error;
  }
  assert.fail('policy was accepted');
}

test('a valid policy loads with aliases resolved and signer keys parsed', async () => {
  const policy = await parseChainPolicy(policyYaml(keys, gates));
  assert.equal(policy.name, 'test');
  assert.equal(policy.gates[0]?.require[0]?.predicateType, PredicateType.vulns);
  assert.equal(policy.signers.get('ci')?.key?.keyId, keys.ci.keyId);
  assert.equal(policy.signers.get('security')?.key?.keyId, keys.security.keyId);
  assert.match(policy.digest, /^[0-9a-f]{64}$/);
});

test('an unknown signer reference is refused and names its line', async () => {
  const text = policyYaml(keys, gates.replace('exceptionSigners: [security]', 'exceptionSigners: [nobody]'));
  const error = await rejection(text);
  assert.equal(error.code, 'POLICY_SIGNER_UNKNOWN');
  const expectedLine = text.split('\n').findIndex((line) => line.includes('nobody')) + 1;
  assert.equal(error.line, expectedLine);
  assert.equal(error.file, 'policy.yaml');
});

test('a schema violation names the offending line', async () => {
  const text = policyYaml(keys, gates.replace('block: [critical]', 'block: [catastrophic]'));
  const error = await rejection(text);
  assert.equal(error.code, 'POLICY_INVALID');
  assert.equal(error.line, text.split('\n').findIndex((line) => line.includes('catastrophic')) + 1);
});

test('a condition with two operators, or none, is refused', async () => {
  const twoOps = gates.replace(
    '        vulnerabilities:',
    '        conditions:\n          - path: a\n            equals: 1\n            notEquals: 2\n        vulnerabilities:',
  );
  assert.equal((await rejection(policyYaml(keys, twoOps))).code, 'POLICY_INVALID');
});

test('YAML syntax errors and bad keys are typed and located', async () => {
  const syntax = await rejection('apiVersion: gatechain.dev/v1\nkind: [\n');
  assert.equal(syntax.code, 'YAML_SYNTAX');
  assert.ok(syntax.line !== undefined);
  const badKey = policyYaml(keys, gates).replace(
    /-----BEGIN PUBLIC KEY-----/,
    '-----BEGIN PUBLIC KEY-----\n      AAAA',
  );
  assert.equal((await rejection(badKey)).code, 'POLICY_KEY_INVALID');
});

test('unknown fields are refused rather than ignored', async () => {
  const error = await rejection(
    policyYaml(keys, gates.replace('name: deps', 'name: deps\n    enforce: maybe')),
  );
  assert.equal(error.code, 'POLICY_INVALID');
  assert.match(error.message, /enforce/);
});

test('arbitrary text never throws anything but a typed error', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
      try {
        await parseChainPolicy(text);
      } catch (error) {
        assert.ok(error instanceof GatechainError, String(error));
      }
    }),
    { numRuns: 200 },
  );
});
