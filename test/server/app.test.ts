import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AdmissionEngine, buildKeyring, loadPolicies } from '../../src/admission/index.ts';
import { verifyAttestationBundle } from '../../src/attest/index.ts';
import { buildApp, createMetrics, ROUTES } from '../../src/server/index.ts';
import type { RoutePlugin } from '../../src/server/types.ts';
import { admissionReview } from '../admission/harness.ts';
import { imageOf, makeRoleKey, pod, policyYaml, randomDigest, tempDir } from '../admission/helpers.ts';

function engine() {
  const policies = loadPolicies(policyYaml(makeRoleKey()));
  return new AdmissionEngine({
    policies,
    source: async () => [],
    verify: verifyAttestationBundle,
    keyring: buildKeyring(policies, [], []),
    breakGlassTtlSeconds: 7200,
  });
}

describe('server app', () => {
  test('health, readiness and metrics', async () => {
    let ready = true;
    const app = await buildApp({
      engine: engine(),
      metrics: createMetrics({ defaultMetrics: false }),
      deadlineMs: 1000,
      ready: async () => {
        if (!ready) throw new Error('store closed');
      },
    });
    try {
      assert.deepEqual((await app.inject({ url: '/healthz' })).json(), { status: 'ok' });
      assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
      ready = false;
      const notReady = await app.inject({ url: '/readyz' });
      assert.equal(notReady.statusCode, 503);
      assert.match(notReady.body, /store closed/);
      const review = admissionReview(pod([imageOf(randomDigest())]), { namespace: 'production' });
      const denied = await app.inject({ method: 'POST', url: '/validate', payload: review });
      assert.equal(denied.statusCode, 200);
      assert.equal(denied.json().response.allowed, false);
      const metrics = await app.inject({ url: '/metrics' });
      assert.match(
        metrics.body,
        /gatechain_admission_requests_total\{webhook="validate",allowed="false",mode="Enforce"\} 1/,
      );
      assert.match(metrics.body, /gatechain_admission_violations_total\{action="Enforce"\} 1/);
      assert.match(metrics.body, /gatechain_admission_cache_events_total\{event="miss"\} 1/);
    } finally {
      await app.close();
    }
  });

  test('non-JSON and oversized bodies are client errors, never crashes', async () => {
    const app = await buildApp({
      engine: engine(),
      metrics: createMetrics({ defaultMetrics: false }),
      deadlineMs: 1000,
    });
    try {
      const text = await app.inject({
        method: 'POST',
        url: '/validate',
        payload: 'hello',
        headers: { 'content-type': 'text/plain' },
      });
      assert.equal(text.statusCode, 400);
      assert.match(text.body, /ADMISSION_REVIEW_INVALID/);
      const big = await app.inject({
        method: 'POST',
        url: '/validate',
        payload: `{"a":"${'x'.repeat(5 * 1024 * 1024)}"}`,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(big.statusCode, 413);
      const broken = await app.inject({
        method: 'POST',
        url: '/validate',
        payload: '{',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(broken.statusCode, 400);
      assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  test('routes come from the table; the ledger read API mounts when asked for', async () => {
    assert.deepEqual(
      ROUTES.map((r) => r.name),
      ['health', 'metrics', 'admission', 'ledger'],
    );
    const app = await buildApp({
      metrics: createMetrics({ defaultMetrics: false }),
      deadlineMs: 1000,
      ledgerStoreDir: tempDir('ledger'),
    });
    try {
      assert.equal(
        (await app.inject({ method: 'POST', url: '/validate', payload: {} })).statusCode,
        404,
        'no engine, no admission routes',
      );
      const checkpoint = await app.inject({ url: '/log/checkpoint' });
      assert.equal(checkpoint.statusCode, 404);
      assert.match(checkpoint.body, /no checkpoint published yet/);
    } finally {
      await app.close();
    }
  });

  test('a custom route table replaces the default one', async () => {
    const only: RoutePlugin = {
      name: 'only',
      enabled: () => true,
      register: (app) => void app.get('/only', async () => 'yes'),
    };
    const app = await buildApp(
      { metrics: createMetrics({ defaultMetrics: false }), deadlineMs: 1000 },
      { routes: [only] },
    );
    try {
      assert.equal((await app.inject({ url: '/only' })).body, 'yes');
      assert.equal((await app.inject({ url: '/healthz' })).statusCode, 404);
    } finally {
      await app.close();
    }
  });
});

describe('server robustness', () => {
  test('arbitrary bodies get 200 or 400, never a 5xx', async () => {
    const { default: fc } = await import('fast-check');
    const app = await buildApp({
      engine: engine(),
      metrics: createMetrics({ defaultMetrics: false }),
      deadlineMs: 1000,
    });
    try {
      const review = admissionReview(pod([imageOf(randomDigest())]), { namespace: 'production' });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.jsonValue({ maxDepth: 5 }),
            fc.record({
              apiVersion: fc.constant('admission.k8s.io/v1'),
              kind: fc.constant('AdmissionReview'),
              request: fc.jsonValue({ maxDepth: 4 }),
            }),
            fc
              .constant(review)
              .map((r) => ({ ...r, request: { ...(r['request'] as object), object: 'not an object' } })),
          ),
          fc.constantFrom('/validate', '/mutate'),
          async (body, url) => {
            const response = await app.inject({
              method: 'POST',
              url,
              payload: JSON.stringify(body),
              headers: { 'content-type': 'application/json' },
            });
            assert.ok(
              response.statusCode === 200 || response.statusCode === 400,
              `${response.statusCode}: ${response.body}`,
            );
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      await app.close();
    }
  });
});
