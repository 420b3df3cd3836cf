import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VerificationCache } from '../../src/admission/cache.ts';
import {
  buildReviewResponse,
  containerImages,
  globMatch,
  parseImageReference,
} from '../../src/admission/index.ts';
import { InputError } from '../../src/util/errors.ts';

describe('image references', () => {
  test('registry, repository, tag and digest are split as runtimes do', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseImageReference('nginx'), {
      original: 'nginx',
      registry: 'docker.io',
      repository: 'library/nginx',
    });
    assert.deepEqual(parseImageReference(`ghcr.io/org/app:1.0@${digest}`), {
      original: `ghcr.io/org/app:1.0@${digest}`,
      registry: 'ghcr.io',
      repository: 'org/app',
      tag: '1.0',
      digest,
    });
    assert.equal(parseImageReference('localhost:5000/app:v1').registry, 'localhost:5000');
    assert.equal(parseImageReference('localhost:5000/app:v1').tag, 'v1');
    assert.equal(parseImageReference('org/app').repository, 'org/app');
  });

  test('invalid references are typed errors', () => {
    for (const bad of ['', 'UPPER/case', 'app@sha256:short', 'app@md5:abc', 'a//b', 'app:tag with space']) {
      assert.throws(() => parseImageReference(bad), InputError, bad);
    }
  });
});

describe('globs', () => {
  test('* spans slashes, ? is one character', () => {
    assert.equal(globMatch('ghcr.io/myorg/*', 'ghcr.io/myorg/app/sub:1'), true);
    assert.equal(globMatch('ghcr.io/myorg/*', 'ghcr.io/other/app'), false);
    assert.equal(globMatch('a?c', 'abc'), true);
    assert.equal(globMatch('a?c', 'ac'), false);
    assert.equal(globMatch('*', ''), true);
    assert.equal(globMatch('*a*a*a*a*b', 'a'.repeat(2000)), false);
  });
});

describe('pod specs', () => {
  test('every container list of a CronJob template is found, with patch pointers', () => {
    const object = {
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                initContainers: [{ name: 'i', image: 'a' }],
                containers: [{ name: 'c', image: 'b' }],
                ephemeralContainers: [{ name: 'e', image: 'c' }],
              },
            },
          },
        },
      },
    };
    const { images, problems } = containerImages('CronJob', object);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      images.map((i) => [i.image, i.pointer]),
      [
        ['a', '/spec/jobTemplate/spec/template/spec/initContainers/0/image'],
        ['b', '/spec/jobTemplate/spec/template/spec/containers/0/image'],
        ['c', '/spec/jobTemplate/spec/template/spec/ephemeralContainers/0/image'],
      ],
    );
  });

  test('malformed container lists are reported, not skipped', () => {
    assert.deepEqual(containerImages('Pod', { spec: { containers: 'x' } }).problems, [
      'spec.containers is not a list',
    ]);
    assert.match(
      containerImages('Pod', { spec: { containers: [{ name: 'a' }] } }).problems[0]!,
      /image is missing/,
    );
    assert.deepEqual(containerImages('ConfigMap', { data: {} }), { images: [], problems: [] });
  });
});

describe('review responses', () => {
  test('patchType only with a patch; warnings clipped; status only on denial', () => {
    const allowed = buildReviewResponse('u1', { allowed: true, warnings: ['x'.repeat(300)], patch: [] });
    assert.equal(allowed.response.patchType, undefined);
    assert.equal(allowed.response.patch, undefined);
    assert.equal(allowed.response.warnings![0]!.length, 120);
    const patched = buildReviewResponse('u2', {
      allowed: true,
      warnings: [],
      patch: [{ op: 'remove', path: '/a' }],
    });
    assert.equal(patched.response.patchType, 'JSONPatch');
    assert.deepEqual(JSON.parse(Buffer.from(patched.response.patch!, 'base64').toString()), [
      { op: 'remove', path: '/a' },
    ]);
    const denied = buildReviewResponse('u3', {
      allowed: false,
      status: { code: 403, message: 'no' },
      warnings: [],
      patch: [{ op: 'remove', path: '/a' }],
    });
    assert.deepEqual(denied.response, { uid: 'u3', allowed: false, status: { code: 403, message: 'no' } });
  });
});

describe('verification cache', () => {
  test('entries die at min(max TTL, validUntil) on the given clock', () => {
    let now = 1000;
    const cache = new VerificationCache<string>({ maxTtlMs: 100, clock: () => now });
    cache.set('a', 'A');
    cache.set('b', 'B', 1050);
    cache.set('c', 'C', 900);
    assert.equal(cache.get('c'), undefined, 'already expired: never stored');
    now = 1049;
    assert.equal(cache.get('b'), 'B');
    now = 1050;
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 'A');
    now = 1100;
    assert.equal(cache.get('a'), undefined);
    // An unparseable expiry (Date.parse of garbage) is never cached, rather than cached forever.
    cache.set('d', 'D', Number.NaN);
    assert.equal(cache.get('d'), undefined);
    assert.equal(cache.size, 0);
  });

  test('concurrent identical computations are coalesced; failures are not cached', async () => {
    const cache = new VerificationCache<{ ok: boolean }>({ maxTtlMs: 60_000 });
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const compute = async () => {
      runs++;
      await gate;
      return { ok: false };
    };
    const store = (v: { ok: boolean }) => ({ cache: v.ok });
    const all = Promise.all([1, 2, 3].map(() => cache.getOrCompute('k', compute, store)));
    release();
    await all;
    assert.equal(runs, 1);
    assert.equal(cache.coalesced, 2);
    await cache.getOrCompute('k', compute, store);
    assert.equal(runs, 2, 'a failure was not cached');
  });

  test('the oldest entry is evicted at capacity', () => {
    const cache = new VerificationCache<number>({ maxEntries: 2, maxTtlMs: 1000 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.get('c'), 3);
  });
});
