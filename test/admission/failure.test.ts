import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { AdmissionEngine, buildKeyring, loadPolicies } from '../../src/admission/index.ts';
import { writeInstallBundle } from '../../src/admission/install/index.ts';
import type { AttestationSource } from '../../src/admission/verify/evidence.ts';
import { verifyAttestationBundle } from '../../src/attest/index.ts';
import { buildApp, createMetrics, deadlineFor } from '../../src/server/index.ts';
import { FakeApiServer } from './harness.ts';
import { imageOf, makeRoleKey, pod, policyYaml, randomDigest, tempDir } from './helpers.ts';

/**
 * Failure behaviour: a store that hangs or throws. The server answers before the API server's
 * timeout; Enforce fails closed, Audit admits with a warning; the harness applies failurePolicy
 * when the webhook cannot answer in time or at all.
 */
const ci = makeRoleKey();
let ca: string;
let tls: { cert: string; key: string };
const apps: FastifyInstance[] = [];

before(async () => {
  const paths = await writeInstallBundle({
    namespace: 'gatechain',
    service: 'gatechain',
    out: tempDir('install'),
    image: 'gatechain:dev',
    failurePolicy: 'Fail',
    timeoutSeconds: 10,
    replicas: 1,
    policyFiles: {},
    extraIpAddresses: ['127.0.0.1'],
  });
  ca = readFileSync(paths.caCert, 'utf8');
  tls = { cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8') };
});

after(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

async function serve(
  source: AttestationSource,
  action: 'Enforce' | 'Audit',
  deadlineMs: number,
): Promise<string> {
  const policies = loadPolicies(policyYaml(ci, { action }));
  const engine = new AdmissionEngine({
    policies,
    source,
    verify: verifyAttestationBundle,
    keyring: buildKeyring(policies, [], []),
    breakGlassTtlSeconds: 7200,
  });
  const app = await buildApp(
    { engine, metrics: createMetrics({ defaultMetrics: false }), deadlineMs },
    { https: tls },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  apps.push(app);
  return `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const hanging: AttestationSource = () => new Promise(() => {});
const broken: AttestationSource = async () => {
  throw new Error('store unreachable');
};

describe('failure behaviour', () => {
  test('the deadline stays below the request timeout and the configured limit', () => {
    assert.equal(deadlineFor(8000, '10s'), 8000);
    assert.equal(deadlineFor(8000, '3s'), 2400);
    assert.equal(deadlineFor(8000, undefined), 8000);
    assert.equal(deadlineFor(8000, 'garbage'), 8000);
    assert.equal(deadlineFor(30_000, '10s'), 9000);
  });

  test('a hanging store: Enforce answers a denial before the API server gives up', async () => {
    const url = await serve(hanging, 'Enforce', 10_000);
    const api = new FakeApiServer({
      caCertPem: ca,
      validate: { url: `${url}/validate`, failurePolicy: 'Ignore', timeoutSeconds: 1 },
    });
    const started = Date.now();
    const result = await api.admit(pod([imageOf(randomDigest())]), { namespace: 'production' });
    assert.ok(Date.now() - started < 1000, 'answered within the 1 s webhook timeout');
    assert.equal(result.failure, undefined, 'the webhook answered, so failurePolicy Ignore did not apply');
    assert.equal(result.allowed, false);
    assert.match(
      result.message ?? '',
      /could not decide \(failing closed\): verification did not finish within 800 ms/,
    );
  });

  test('a hanging store: Audit admits with a warning', async () => {
    const url = await serve(hanging, 'Audit', 300);
    const api = new FakeApiServer({
      caCertPem: ca,
      validate: { url: `${url}/validate`, failurePolicy: 'Fail', timeoutSeconds: 10 },
    });
    const result = await api.admit(pod([imageOf(randomDigest())]), { namespace: 'production' });
    assert.equal(result.allowed, true);
    assert.ok(
      result.warnings.some((w) => /\[audit\].*(did not finish|internal error)/.test(w)),
      result.warnings.join('\n'),
    );
  });

  test('a store that throws: Enforce denies with the cause', async () => {
    const url = await serve(broken, 'Enforce', 5000);
    const api = new FakeApiServer({
      caCertPem: ca,
      validate: { url: `${url}/validate`, failurePolicy: 'Ignore', timeoutSeconds: 10 },
    });
    const result = await api.admit(pod([imageOf(randomDigest())]), { namespace: 'production' });
    assert.equal(result.allowed, false);
    assert.match(result.message ?? '', /internal error while verifying: store unreachable/);
  });

  test('an unreachable webhook: failurePolicy Fail denies, Ignore admits', async () => {
    const dead = 'https://127.0.0.1:1/validate';
    const fail = new FakeApiServer({
      caCertPem: ca,
      validate: { url: dead, failurePolicy: 'Fail', timeoutSeconds: 1 },
    });
    const ignore = new FakeApiServer({
      caCertPem: ca,
      validate: { url: dead, failurePolicy: 'Ignore', timeoutSeconds: 1 },
    });
    const object = pod([imageOf(randomDigest())]);
    const denied = await fail.admit(object, { namespace: 'production' });
    assert.equal(denied.allowed, false);
    assert.ok(denied.failure);
    const admitted = await ignore.admit(object, { namespace: 'production' });
    assert.equal(admitted.allowed, true);
    assert.ok(admitted.failure);
  });

  test('a webhook slower than its timeoutSeconds is cut off and failurePolicy applies', async () => {
    const url = await serve(hanging, 'Enforce', 5000);
    // Without ?timeout the server would wait its own 5 s deadline; the API server cuts off at 1 s.
    const endpoint = { url: `${url}/validate`, timeoutSeconds: 1, sendTimeoutParameter: false };
    const object = pod([imageOf(randomDigest())]);
    const started = Date.now();
    const failClosed = await new FakeApiServer({
      caCertPem: ca,
      validate: { ...endpoint, failurePolicy: 'Fail' },
    }).admit(object, {
      namespace: 'production',
    });
    assert.ok(Date.now() - started < 2500);
    assert.equal(failClosed.allowed, false);
    assert.match(failClosed.failure ?? '', /timed out after 1000 ms/);
    const failOpen = await new FakeApiServer({
      caCertPem: ca,
      validate: { ...endpoint, failurePolicy: 'Ignore' },
    }).admit(object, {
      namespace: 'production',
    });
    assert.equal(failOpen.allowed, true);
    assert.match(failOpen.failure ?? '', /timed out/);
  });

  test('a wrong CA is refused by the harness (TLS is really checked)', async () => {
    const url = await serve(hanging, 'Enforce', 100);
    const other = await writeInstallBundle({
      namespace: 'x',
      service: 'y',
      out: tempDir('install-other'),
      image: 'gatechain:dev',
      failurePolicy: 'Fail',
      timeoutSeconds: 10,
      replicas: 1,
      policyFiles: {},
      extraIpAddresses: ['127.0.0.1'],
    });
    const api = new FakeApiServer({
      caCertPem: readFileSync(other.caCert, 'utf8'),
      validate: { url: `${url}/validate`, failurePolicy: 'Ignore', timeoutSeconds: 5 },
    });
    const result = await api.admit(pod([imageOf(randomDigest())]), { namespace: 'production' });
    assert.equal(result.allowed, true);
    assert.match(result.failure ?? '', /certificate/);
  });
});
