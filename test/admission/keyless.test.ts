import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAdmissionEngine, loadPolicies, parseAdmissionReview } from '../../src/admission/index.ts';
import { createKeylessVerifier } from '../../src/admission/verify/keyless.ts';
import { bundleDigest } from '../../src/attest/index.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { STATEMENT_TYPE_V1, type Statement } from '../../src/model/statement.ts';
import { GatechainError } from '../../src/util/errors.ts';
import { admissionReview } from './harness.ts';
import { createWorld, pod, sbom, type World } from './helpers.ts';
import { createSigstoreMock, type SigstoreMock } from './sigstore-mock.ts';

const CI = {
  subject: 'https://github.com/myorg/myapp/.github/workflows/secure-pipeline.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
};
const example = readFileSync(join(import.meta.dirname, 'fixtures/example-clusterpolicy.yaml'), 'utf8');

let world: World;
let mock: SigstoreMock;
before(async () => {
  world = await createWorld();
  mock = await createSigstoreMock({ withTlog: true });
});
after(async () => {
  await world.store.close();
});

function statementFor(hex: string, version: string): Statement {
  return {
    _type: STATEMENT_TYPE_V1,
    subject: [{ name: 'ghcr.io/myorg/app', digest: { sha256: hex } }],
    predicateType: PredicateType.cyclonedx,
    predicate: sbom(version),
  };
}

async function keylessImage(
  identity: { subject: string; issuer: string },
  version = '1.0.0',
): Promise<string> {
  const hex = randomBytes(32).toString('hex');
  const bundle = await mock.signKeyless(statementFor(hex, version), identity);
  await world.store.putAttestation({
    bundleJson: JSON.stringify(bundle),
    bundleDigest: bundleDigest(bundle as object),
    subjects: [{ name: 'ghcr.io/myorg/app', digest: { sha256: hex } }],
    predicateType: PredicateType.cyclonedx,
    signerKeyId: 'keyless',
  });
  return `ghcr.io/myorg/app@sha256:${hex}`;
}

const production = (image: string) =>
  parseAdmissionReview(admissionReview(pod([image]), { namespace: 'production' }));

describe('keyless attestors against a local trusted root (the design example policy)', () => {
  test('an image keyless-signed by the CI workflow identity, with a versioned SBOM, is admitted', async () => {
    const engine = await createAdmissionEngine({
      store: world.store,
      policies: loadPolicies(example),
      trustedRoot: mock.trustedRoot,
    });
    const outcome = await engine.validate(production(await keylessImage(CI)));
    assert.equal(outcome.decision.allowed, true, outcome.decision.status?.message);
  });

  test('another workflow identity, another issuer, or an empty version is denied', async () => {
    const engine = await createAdmissionEngine({
      store: world.store,
      policies: loadPolicies(example),
      trustedRoot: mock.trustedRoot,
    });
    const otherWorkflow = await engine.validate(
      production(await keylessImage({ ...CI, subject: CI.subject.replace('main', 'dev') })),
    );
    assert.equal(otherWorkflow.decision.allowed, false);
    assert.match(
      otherWorkflow.decision.status!.message,
      /no valid signature from keyless https:\/\/github.com\/myorg/,
    );
    const otherIssuer = await engine.validate(
      production(await keylessImage({ ...CI, issuer: 'https://accounts.example' })),
    );
    assert.equal(otherIssuer.decision.allowed, false);
    const empty = await engine.validate(production(await keylessImage(CI, '')));
    assert.equal(empty.decision.allowed, false);
    assert.match(empty.decision.status!.message, /"" equals ""/);
  });

  test('without a trusted root the same image is denied and the message says why', async () => {
    const engine = await createAdmissionEngine({ store: world.store, policies: loadPolicies(example) });
    const outcome = await engine.validate(production(await keylessImage(CI)));
    assert.equal(outcome.decision.allowed, false);
    assert.match(outcome.decision.status!.message, /keyless attestors need a Sigstore trusted root/);
  });

  test('a bundle from a CA outside the trusted root is rejected', async () => {
    const stranger = await createSigstoreMock({ withTlog: true });
    const hex = randomBytes(32).toString('hex');
    const bundle = await stranger.signKeyless(statementFor(hex, '1.0.0'), CI);
    const verify = createKeylessVerifier(mock.trustedRoot);
    assert.throws(
      () => verify(bundle, { sha256: hex }),
      (e: unknown) => e instanceof GatechainError && e.code === 'KEYLESS_VERIFICATION_FAILED',
    );
  });

  test('a bundle without a trusted timestamp is rejected (a certificate is never checked as of now)', async () => {
    const tsaOnly = await createSigstoreMock();
    const hex = randomBytes(32).toString('hex');
    const bundle = await tsaOnly.signKeyless(statementFor(hex, '1.0.0'), CI, { timestamp: false });
    const verify = createKeylessVerifier(tsaOnly.trustedRoot);
    assert.throws(() => verify(bundle, { sha256: hex }), /expected 1 timestamps, got 0/);
    const stamped = await tsaOnly.signKeyless(statementFor(hex, '1.0.0'), CI);
    assert.deepEqual(verify(stamped, { sha256: hex }).identity, CI);
  });

  test('a trusted root with a log requires a log entry', async () => {
    const hex = randomBytes(32).toString('hex');
    const bundle = await mock.signKeyless(statementFor(hex, '1.0.0'), CI, { tlog: false });
    assert.throws(
      () => createKeylessVerifier(mock.trustedRoot)(bundle, { sha256: hex }),
      /expected 1 tlog entries/,
    );
  });

  test('the subject digest is checked and tampering is caught', async () => {
    const hex = randomBytes(32).toString('hex');
    const bundle = (await mock.signKeyless(statementFor(hex, '1.0.0'), CI)) as {
      dsseEnvelope: { payload: string };
    };
    const verify = createKeylessVerifier(mock.trustedRoot);
    assert.throws(
      () => verify(bundle, { sha256: 'f'.repeat(64) }),
      (e: unknown) => e instanceof GatechainError && e.code === 'SUBJECT_MISMATCH',
    );
    const tampered = structuredClone(bundle);
    tampered.dsseEnvelope.payload = Buffer.from(JSON.stringify(statementFor(hex, '9.9.9'))).toString(
      'base64',
    );
    assert.throws(
      () => verify(tampered, { sha256: hex }),
      (e: unknown) => e instanceof GatechainError && e.code === 'KEYLESS_VERIFICATION_FAILED',
    );
  });

  test('subjectRegExp and issuerRegExp use RE2 matching', async () => {
    const policy = example
      .replace(
        /subject: "https:\/\/github.com\/myorg\/myapp[^"]*"/,
        'subjectRegExp: "^https://github\\\\.com/myorg/.+@refs/heads/main$"',
      )
      .replace(
        'issuer: "https://token.actions.githubusercontent.com"',
        'issuerRegExp: "^https://token\\\\.actions\\\\."',
      );
    const engine = await createAdmissionEngine({
      store: world.store,
      policies: loadPolicies(policy),
      trustedRoot: mock.trustedRoot,
    });
    const other = {
      ...CI,
      subject: 'https://github.com/myorg/other/.github/workflows/x.yml@refs/heads/main',
    };
    assert.equal((await engine.validate(production(await keylessImage(other)))).decision.allowed, true);
    const branch = {
      ...CI,
      subject: 'https://github.com/myorg/other/.github/workflows/x.yml@refs/heads/feature',
    };
    assert.equal((await engine.validate(production(await keylessImage(branch)))).decision.allowed, false);
  });

  test("a keyless rekor.url that is not one of the trusted root's logs stops the start", async () => {
    const tsaOnly = await createSigstoreMock();
    await assert.rejects(
      createAdmissionEngine({
        store: world.store,
        policies: loadPolicies(example),
        trustedRoot: tsaOnly.trustedRoot,
      }),
      (e: unknown) =>
        e instanceof GatechainError &&
        e.code === 'ADMISSION_POLICY_INVALID' &&
        /rekor\.url https:\/\/rekor\.sigstore\.dev is not a transparency log/.test(e.message),
    );
  });

  test('an invalid trusted root is a typed error', () => {
    assert.throws(
      () => createKeylessVerifier({ mediaType: 'x', certificateAuthorities: [] }),
      (e: unknown) => e instanceof GatechainError && e.code === 'TRUSTED_ROOT_INVALID',
    );
  });
});
