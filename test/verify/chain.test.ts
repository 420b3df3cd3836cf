import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bundleDigest, generateKeyPair, loadSigner, signStatement } from '../../src/attest/index.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { makeStatement, recordStatement } from '../../src/pipeline/record.ts';
import { parseChainPolicy } from '../../src/policy/index.ts';
import { openStore } from '../../src/store/index.ts';
import { verifyChain } from '../../src/verify/index.ts';
import { codeScanPredicate } from '../helpers/predicates.ts';
import { policyYaml } from '../policy/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatechain-chain-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const pass = 'chain test';
const pairs = {
  ci: generateKeyPair('ed25519', pass),
  security: generateKeyPair('ecdsa-p256', pass),
  breakGlass: generateKeyPair('ed25519', pass),
};
const outsider = loadSigner(generateKeyPair('ed25519', pass).privateKeyPem, pass);
const ci = loadSigner(pairs.ci.privateKeyPem, pass);
const gates = `  - gate: 1
    name: code
    require:
      - predicateType: code-scan
        signers: [ci]
  - gate: 3
    name: build
    require:
      - predicateType: provenance
        signers: [ci]
`;
const policy = await parseChainPolicy(policyYaml(pairs, gates));

const source = { name: 'repo', digest: { gitCommit: 'c'.repeat(40) } };
const artifact = { name: 'app.tgz', digest: { sha256: 'd'.repeat(64) } };
const provenance = {
  buildDefinition: {
    buildType: 'x',
    externalParameters: {},
    resolvedDependencies: [{ uri: 'git+https://example.invalid/repo', digest: source.digest }],
  },
  runDetails: { builder: { id: 'b' } },
};

async function freshStore(name: string) {
  return openStore({ dir: join(dir, name) });
}

test('image → provenance → source: the source gate is found through provenance', async () => {
  const store = await freshStore('walk');
  try {
    await recordStatement(
      { store, signer: ci },
      makeStatement(source, PredicateType.codeScan, codeScanPredicate()),
      { gate: 1 },
    );
    await recordStatement(
      { store, signer: ci },
      makeStatement(artifact, PredicateType.slsaProvenance, provenance),
      { gate: 3 },
    );
    const result = await verifyChain({ store, policy, subject: artifact.digest });
    assert.equal(result.passed, true, JSON.stringify(result, null, 2));
    assert.equal(result.source.via, 'provenance');
    assert.deepEqual(result.source.subjects, [source.digest]);
  } finally {
    await store.close();
  }
});

test('a tampered stored bundle is rejected with its verification code and never counts', async () => {
  const store = await freshStore('tamper');
  try {
    await recordStatement(
      { store, signer: ci },
      makeStatement(artifact, PredicateType.slsaProvenance, provenance),
      { gate: 3 },
    );
    const bundle = (await signStatement(
      makeStatement(source, PredicateType.codeScan, codeScanPredicate()),
      ci,
    )) as {
      dsseEnvelope: { payload: string };
    };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
    statement.predicate.decision = 'fail';
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    await store.putAttestation({
      bundleJson: JSON.stringify(bundle),
      bundleDigest: bundleDigest(bundle as never),
      subjects: [source],
      predicateType: PredicateType.codeScan,
      signerKeyId: ci.keyId,
    });
    const result = await verifyChain({ store, policy, subject: artifact.digest });
    assert.equal(result.passed, false);
    const code = result.gates[0]?.requirements[0];
    assert.equal(code?.code, 'VERIFICATION_FAILED');
    assert.match(code?.reason ?? '', /SIGNATURE_INVALID/);
  } finally {
    await store.close();
  }
});

test('an attestation signed by a key outside the policy is rejected', async () => {
  const store = await freshStore('outsider');
  try {
    await recordStatement(
      { store, signer: ci },
      makeStatement(artifact, PredicateType.slsaProvenance, provenance),
      { gate: 3 },
    );
    await recordStatement(
      { store, signer: outsider },
      makeStatement(source, PredicateType.codeScan, codeScanPredicate()),
      { gate: 1 },
    );
    const result = await verifyChain({ store, policy, subject: artifact.digest });
    const code = result.gates[0]?.requirements[0];
    assert.equal(result.passed, false);
    assert.equal(code?.code, 'VERIFICATION_FAILED');
    assert.match(code?.reason ?? '', /SIGNER_UNTRUSTED/);
  } finally {
    await store.close();
  }
});

test('a row indexed under the subject but whose statement names another digest is a SUBJECT_MISMATCH', async () => {
  const store = await freshStore('mismatch');
  try {
    const other = { name: 'other', digest: { sha256: 'e'.repeat(64) } };
    const bundle = await signStatement(makeStatement(other, PredicateType.slsaProvenance, provenance), ci);
    await store.putAttestation({
      bundleJson: JSON.stringify(bundle),
      bundleDigest: bundleDigest(bundle),
      subjects: [artifact],
      predicateType: PredicateType.slsaProvenance,
      signerKeyId: ci.keyId,
    });
    const result = await verifyChain({ store, policy, subject: artifact.digest });
    const build = result.gates.find((g) => g.gate === 3)?.requirements[0];
    assert.equal(build?.code, 'VERIFICATION_FAILED');
    assert.match(build?.reason ?? '', /SUBJECT_MISMATCH/);
  } finally {
    await store.close();
  }
});
