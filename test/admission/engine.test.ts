import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AdmissionEngine,
  buildKeyring,
  createAdmissionEngine,
  loadPolicies,
  parseAdmissionReview,
} from '../../src/admission/index.ts';
import type { AttestationSource } from '../../src/admission/verify/evidence.ts';
import { verifyAttestationBundle } from '../../src/attest/index.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { parseChainPolicy } from '../../src/policy/index.ts';
import { admissionReview } from './harness.ts';
import { createWorld, imageOf, pod, policyYaml, randomDigest, sbom, type World } from './helpers.ts';

let world: World;
before(async () => {
  world = await createWorld();
});
after(async () => {
  await world.store.close();
});

const requestOf = (object: Record<string, unknown>, namespace = 'production') =>
  parseAdmissionReview(admissionReview(object, { namespace }));

describe('the design example policy is enforced', () => {
  test('without a trusted root, matching images are denied with the reason; others pass', async () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures/example-clusterpolicy.yaml'), 'utf8');
    const engine = await createAdmissionEngine({ store: world.store, policies: loadPolicies(text) });
    const digest = randomDigest();
    // A key-signed CycloneDX attestation cannot satisfy a keyless attestor (keyless.test.ts covers the trusted root).
    await world.attest(digest, PredicateType.cyclonedx, sbom('1.0.0'), world.keys.ci);
    const matched = await engine.validate(requestOf(pod([`ghcr.io/myorg/app@${digest}`])));
    assert.equal(matched.decision.allowed, false);
    assert.match(matched.decision.status!.message, /keyless attestors need a Sigstore trusted root/);
    assert.match(matched.decision.status!.message, /no attestation of type https:\/\/cyclonedx.org\/bom/);
    const tagOnly = await engine.validate(requestOf(pod(['ghcr.io/myorg/app:latest']), 'staging'));
    assert.equal(tagOnly.decision.allowed, false);
    assert.match(tagOnly.decision.status!.message, /tag only/);
    assert.equal(
      (await engine.validate(requestOf(pod(['ghcr.io/other/app:latest'])))).decision.allowed,
      true,
    );
    assert.equal(
      (await engine.validate(requestOf(pod([`ghcr.io/myorg/app@${digest}`]), 'dev'))).decision.allowed,
      true,
    );
  });
});

describe('verification work per request', () => {
  test('attestations of one digest are fetched once per request, and concurrent requests share one fetch', async () => {
    const digest = await world.goodImage();
    let calls = 0;
    let release!: () => void;
    let gate = Promise.resolve();
    const inner = async (subjectDigest: string) =>
      (await world.store.findAttestations({ subjectDigest })).map((r) => ({
        id: r.id,
        bundleJson: r.bundleJson,
        createdAt: r.createdAt,
      }));
    const source: AttestationSource = async (subjectDigest) => {
      calls++;
      await gate;
      return inner(subjectDigest);
    };
    const policies = [
      ...loadPolicies(policyYaml(world.keys.ci)),
      ...loadPolicies(policyYaml(world.keys.ci, { name: 'second' })),
    ];
    const make = () =>
      new AdmissionEngine({
        policies,
        source,
        verify: verifyAttestationBundle,
        keyring: buildKeyring(policies, [], []),
        breakGlassTtlSeconds: 7200,
      });
    const engine = make();
    const three = pod([imageOf(digest), imageOf(digest), imageOf(digest)]);
    const outcome = await engine.validate(requestOf(three));
    assert.equal(outcome.decision.allowed, true, outcome.decision.status?.message);
    assert.equal(calls, 1, 'two policies × three containers, one fetch');
    const warm = await engine.validate(requestOf(three));
    assert.equal(warm.decision.allowed, true);
    assert.equal(calls, 1, 'the second request is served from the cache');
    const cold = make();
    calls = 0;
    gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const concurrent = Promise.all([1, 2, 3, 4].map(() => cold.validate(requestOf(pod([imageOf(digest)])))));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const results = await concurrent;
    assert.ok(results.every((r) => r.decision.allowed));
    assert.equal(calls, 1, 'four concurrent requests, one fetch');
  });

  test('bundle verdicts are reused across requests, keyed by the exact bytes', async () => {
    const digest = await world.goodImage();
    const policies = loadPolicies(policyYaml(world.keys.ci));
    let verifications = 0;
    const rows = (await world.store.findAttestations({ subjectDigest: digest })).map((r) => ({
      id: r.id,
      bundleJson: r.bundleJson,
      createdAt: r.createdAt,
    }));
    let served = rows;
    const engine = new AdmissionEngine({
      policies,
      source: async () => served,
      verify: (bundle, options) => {
        verifications++;
        return verifyAttestationBundle(bundle, options);
      },
      keyring: buildKeyring(policies, [], []),
      breakGlassTtlSeconds: 7200,
      cacheMaxTtlMs: 0,
    });
    assert.equal((await engine.validate(requestOf(pod([imageOf(digest)])))).decision.allowed, true);
    assert.equal(verifications, 2);
    assert.equal((await engine.validate(requestOf(pod([imageOf(digest)])))).decision.allowed, true);
    assert.equal(
      verifications,
      2,
      'no decision cache (TTL 0), but the verdicts of the same bytes are reused',
    );
    // Same row id, different bytes (a rewritten row): verified again, and refused.
    const bundle = JSON.parse(rows[0]!.bundleJson);
    bundle.dsseEnvelope.signatures[0].sig = Buffer.alloc(64, 1).toString('base64');
    served = [{ ...rows[0]!, bundleJson: JSON.stringify(bundle) }, rows[1]!];
    const tampered = await engine.validate(requestOf(pod([imageOf(digest)])));
    assert.equal(verifications, 3);
    assert.equal(tampered.decision.allowed, false);
  });

  test('DELETE and CONNECT are admitted without looking at images', async () => {
    const engine = await createAdmissionEngine({
      store: world.store,
      policies: loadPolicies(policyYaml(world.keys.ci)),
    });
    const review = admissionReview(pod([imageOf(randomDigest())]), { namespace: 'production' });
    (review['request'] as Record<string, unknown>)['operation'] = 'DELETE';
    assert.equal((await engine.validate(parseAdmissionReview(review))).decision.allowed, true);
  });

  test('--mode audit overrides Enforce policies', async () => {
    const engine = await createAdmissionEngine({
      store: world.store,
      policies: loadPolicies(policyYaml(world.keys.ci)),
      mode: 'Audit',
    });
    const outcome = await engine.validate(requestOf(pod([imageOf(randomDigest())])));
    assert.equal(outcome.decision.allowed, true);
    assert.equal(outcome.violations[0]!.action, 'Audit');
    assert.ok(outcome.decision.warnings[0]!.startsWith('[audit]'));
  });
});

describe('whole-chain policy', () => {
  const pem = (text: string) => `|\n${text.trim().replace(/^/gm, '      ')}`;
  const chainYaml = (breakGlass = '') => `apiVersion: gatechain.dev/v1
kind: ChainPolicy
metadata:
  name: admission-chain
signers:
  ci:
    publicKeyPem: ${pem(world.keys.ci.publicKeyPem)}
  glass:
    publicKeyPem: ${pem(world.keys.breakGlass.publicKeyPem)}
gates:
  - gate: 2
    name: deps
    require:
      - predicateType: sbom
        signers: [ci]
${breakGlass}`;

  test('an image passing the Kyverno rules is still denied when its chain is incomplete', async () => {
    const chainPolicy = await parseChainPolicy(chainYaml());
    const engine = await createAdmissionEngine({ store: world.store, policies: [], chainPolicy });
    const complete = await world.goodImage();
    const allowed = await engine.validate(requestOf(pod([imageOf(complete)])));
    assert.equal(allowed.decision.allowed, true, allowed.decision.status?.message);
    const incomplete = randomDigest();
    await world.attest(incomplete, PredicateType.vulns, { scanner: { result: [] } }, world.keys.ci);
    const denied = await engine.validate(requestOf(pod([imageOf(incomplete)])));
    assert.equal(denied.decision.allowed, false);
    assert.match(
      denied.decision.status!.message,
      /gatechain-chain-policy\/chain: chain policy admission-chain failed/,
    );
  });

  test('the chain check runs alongside Kyverno policies, for the images they match', async () => {
    const chainPolicy = await parseChainPolicy(chainYaml());
    const engine = await createAdmissionEngine({
      store: world.store,
      policies: loadPolicies(policyYaml(world.keys.ci)),
      chainPolicy,
      chainAction: 'Audit',
    });
    const digest = await world.goodImage();
    const outcome = await engine.validate(requestOf(pod([imageOf(digest)])));
    assert.equal(outcome.decision.allowed, true);
    assert.deepEqual(outcome.violations, []);
    const unrelated = await engine.validate(requestOf(pod(['docker.io/library/busybox:latest'])));
    assert.equal(unrelated.decision.allowed, true, 'the chain policy follows the Kyverno scope');
  });

  test("the chain policy's own break-glass is reported like gatechain's: warning and audit entry", async () => {
    const chainPolicy = await parseChainPolicy(chainYaml('breakGlass:\n  signers: [glass]\n'));
    const engine = await createAdmissionEngine({ store: world.store, policies: [], chainPolicy });
    const digest = randomDigest();
    const issuedAt = new Date().toISOString();
    await world.attest(
      digest,
      PredicateType.breakGlass,
      { reason: 'outage', ticket: 'INC-9', ttlSeconds: 600, issuedAt },
      world.keys.breakGlass,
    );
    const outcome = await engine.validate(requestOf(pod([imageOf(digest)])));
    assert.equal(outcome.decision.allowed, true, outcome.decision.status?.message);
    assert.equal(outcome.breakGlass.length, 1);
    assert.equal(outcome.breakGlass[0]!.grant.ticket, 'INC-9');
    assert.ok(outcome.decision.warnings.some((w) => /break-glass/.test(w)));
  });
});
