import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadPolicies } from '../../src/admission/index.ts';
import { InputError } from '../../src/util/errors.ts';
import { makeRoleKey, policyYaml } from './helpers.ts';

const ci = makeRoleKey();

function refuses(text: string, code: string, line: number | undefined, message: RegExp): void {
  assert.throws(
    () => loadPolicies(text, 'p.yaml'),
    (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.code, code);
      assert.equal(error.file, 'p.yaml');
      assert.equal(error.line, line, error.describe());
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('ClusterPolicy loading', () => {
  test('the design example loads, with its keyless attestor and CycloneDX condition', () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures/example-clusterpolicy.yaml'), 'utf8');
    const [policy] = loadPolicies(text, 'example.yaml');
    assert.equal(policy!.name, 'require-signed-images');
    assert.equal(policy!.validationFailureAction, 'Enforce');
    const entry = policy!.rules[0]!.verifyImages[0]!;
    assert.deepEqual(entry.imageReferences, ['ghcr.io/myorg/*']);
    assert.equal(entry.failureAction, 'Enforce');
    assert.equal(entry.mutateDigest, true);
    assert.deepEqual(entry.attestors[0]!.entries[0], {
      type: 'keyless',
      subject: 'https://github.com/myorg/myapp/.github/workflows/secure-pipeline.yml@refs/heads/main',
      issuer: 'https://token.actions.githubusercontent.com',
      rekorUrl: 'https://rekor.sigstore.dev',
    });
    assert.equal(entry.attestations[0]!.predicateType, 'https://cyclonedx.org/bom');
    assert.equal(entry.attestations[0]!.conditions[0]!.all[0]!.operator, 'NotEquals');
    assert.deepEqual(policy!.rules[0]!.autogenControllers, [
      'Deployment',
      'ReplicaSet',
      'StatefulSet',
      'DaemonSet',
      'Job',
      'CronJob',
    ]);
  });

  test('a keyed policy compiles with defaults filled in', () => {
    const [policy] = loadPolicies(policyYaml(ci));
    const entry = policy!.rules[0]!.verifyImages[0]!;
    assert.equal(entry.required, true);
    assert.equal(entry.verifyDigest, true);
    assert.equal(entry.attestors[0]!.count, 1);
    assert.equal(entry.attestations.length, 2);
    assert.match(policy!.hash, /^[0-9a-f]{64}$/);
  });

  test('an unknown field is refused with its name and line', () => {
    const text = policyYaml(ci).replace(
      '      verifyImages:\n',
      '      mutate:\n        patchesJson6902: x\n      verifyImages:\n',
    );
    const line = text.split('\n').findIndex((l) => l.includes('mutate:')) + 1;
    refuses(
      text,
      'ADMISSION_POLICY_INVALID',
      line,
      /spec\.rules\.0\.mutate: is not part of the verifyImages subset/,
    );
  });

  test('outside-subset fields deep inside are named: keys.kms, match selectors, Notary type', () => {
    const kms = policyYaml(ci).replace(
      '                    publicKeys: |-',
      '                    kms: awskms:///x\n                    publicKeys: |-',
    );
    refuses(
      kms,
      'ADMISSION_POLICY_INVALID',
      kms.split('\n').findIndex((l) => l.includes('kms:')) + 1,
      /keys\.kms: is not part/,
    );
    const selector = policyYaml(ci).replace(
      '              kinds: [Pod]',
      '              kinds: [Pod]\n              selector: {}',
    );
    refuses(
      selector,
      'ADMISSION_POLICY_INVALID',
      selector.split('\n').findIndex((l) => l.includes('selector:')) + 1,
      /resources\.selector/,
    );
    const notary = policyYaml(ci).replace(
      '        - imageReferences:',
      '        - type: Notary\n          imageReferences:',
    );
    refuses(
      notary,
      'ADMISSION_POLICY_INVALID',
      notary.split('\n').findIndex((l) => l.includes('type: Notary')) + 1,
      /verifyImages\.0\.type/,
    );
  });

  test('bad values are refused: operator, count above entries, Audit with mutateDigest, bad PEM', () => {
    const operator = policyYaml(ci).replace('operator: NotEquals', 'operator: Matches');
    refuses(
      operator,
      'ADMISSION_POLICY_INVALID',
      operator.split('\n').findIndex((l) => l.includes('Matches')) + 1,
      /operator/,
    );
    const count = policyYaml(ci).replace(
      '            - entries:',
      '            - count: 2\n              entries:',
    );
    refuses(
      count,
      'ADMISSION_POLICY_INVALID',
      count.split('\n').findIndex((l) => l.includes('count: 2')) + 1,
      /count: is 2 but there are only 1/,
    );
    const audit = policyYaml(ci, { action: 'Audit' }).replace(
      '        - imageReferences:',
      '        - mutateDigest: true\n          imageReferences:',
    );
    refuses(
      audit,
      'ADMISSION_POLICY_INVALID',
      audit.split('\n').findIndex((l) => l.includes('mutateDigest')) + 1,
      /mutateDigest: cannot be true with failureAction Audit/,
    );
    const pem = policyYaml(ci).replace(/MF[A-Za-z0-9+/]{10}/, 'MFnotakey');
    refuses(
      pem,
      'ADMISSION_POLICY_INVALID',
      pem.split('\n').findIndex((l) => l.includes('publicKeys')) + 1,
      /not a valid PEM public key/,
    );
  });

  test('required: false and verifyDigest: false are refused, not ignored', () => {
    const required = policyYaml(ci).replace(
      '        - imageReferences:',
      '        - required: false\n          imageReferences:',
    );
    refuses(
      required,
      'ADMISSION_POLICY_INVALID',
      required.split('\n').findIndex((l) => l.includes('required: false')) + 1,
      /required: gatechain verifies every matching image/,
    );
    const digest = policyYaml(ci).replace(
      '        - imageReferences:',
      '        - verifyDigest: false\n          imageReferences:',
    );
    refuses(
      digest,
      'ADMISSION_POLICY_INVALID',
      digest.split('\n').findIndex((l) => l.includes('verifyDigest: false')) + 1,
      /verifyDigest: gatechain admits images by digest only/,
    );
    const explicit = policyYaml(ci).replace(
      '        - imageReferences:',
      '        - required: true\n          verifyDigest: true\n          imageReferences:',
    );
    assert.equal(loadPolicies(explicit)[0]!.rules[0]!.verifyImages[0]!.required, true);
  });

  test('a JMESPath syntax error is refused at load with the line of the condition key', () => {
    const text = policyYaml(ci).replace('{{ metadata.component.version }}', '{{ metadata.[[ }}');
    refuses(
      text,
      'ADMISSION_POLICY_INVALID',
      text.split('\n').findIndex((l) => l.includes('metadata.[[')) + 1,
      /not a valid JMESPath expression/,
    );
  });

  test('rekor checks on keyed entries are refused rather than ignored', () => {
    const text = policyYaml(ci).replace(
      '                    publicKeys: |-',
      '                    rekor:\n                      url: https://rekor.sigstore.dev\n                    publicKeys: |-',
    );
    refuses(
      text,
      'ADMISSION_POLICY_INVALID',
      text.split('\n').findIndex((l) => l.includes('rekor:')) + 1,
      /ignoreTlog/,
    );
  });

  test('background scans, other kinds and API versions are refused', () => {
    refuses(
      policyYaml(ci).replace('background: false', 'background: true'),
      'ADMISSION_POLICY_INVALID',
      7,
      /spec\.background: gatechain runs no background scans/,
    );
    refuses(
      policyYaml(ci).replace('kind: ClusterPolicy', 'kind: Policy'),
      'ADMISSION_POLICY_INVALID',
      2,
      /kind/,
    );
    refuses(
      policyYaml(ci).replace('kyverno.io/v1', 'kyverno.io/v2beta1'),
      'ADMISSION_POLICY_INVALID',
      1,
      /apiVersion/,
    );
  });

  test('YAML syntax errors and duplicate keys carry a line', () => {
    refuses('apiVersion: kyverno.io/v1\nkind: [\n', 'YAML_SYNTAX', 3, /not valid YAML/);
    refuses('apiVersion: kyverno.io/v1\napiVersion: kyverno.io/v1\n', 'YAML_SYNTAX', 2, /not valid YAML/);
  });

  test('an entry that checks nothing is refused (it would admit everything)', () => {
    const text = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: p}
spec:
  rules:
    - name: r
      match: {any: [{resources: {kinds: [Pod]}}]}
      verifyImages:
        - imageReferences: ["*"]
`;
    refuses(text, 'ADMISSION_POLICY_INVALID', 9, /needs attestors or attestations/);
  });

  test('several policies in one file load; duplicate names are refused', () => {
    const two = `${policyYaml(ci)}---\n${policyYaml(ci, { name: 'second' })}`;
    assert.deepEqual(
      loadPolicies(two).map((p) => p.name),
      ['require-chain', 'second'],
    );
    assert.throws(
      () => loadPolicies(`${policyYaml(ci)}---\n${policyYaml(ci)}`),
      /two policies are named require-chain/,
    );
  });

  test('the autogen annotation limits which controllers a Pod rule covers', () => {
    const text = policyYaml(ci).replace(
      '  name: require-chain\n',
      '  name: require-chain\n  annotations:\n    pod-policies.kyverno.io/autogen-controllers: none\n',
    );
    assert.deepEqual(loadPolicies(text)[0]!.rules[0]!.autogenControllers, []);
  });
});
