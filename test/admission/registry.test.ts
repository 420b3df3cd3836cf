import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { parseImageReference, registryResolver } from '../../src/admission/index.ts';

/**
 * Tag → digest through the OCI distribution API. Against the real registry .ci/run starts
 * (GATECHAIN_TEST_REGISTRY, Debian's docker-registry) when it is there; otherwise against a
 * minimal in-process registry that speaks the same HEAD-manifest protocol.
 */
let registry: string;
let fake: Server | undefined;
const manifests = new Map<string, { body: string; digest: string }>();

const MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

function startFake(): Promise<string> {
  fake = createServer((req, res) => {
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!match) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const key = `${match[1]}:${match[2]}`;
      if (req.method === 'PUT') {
        const body = Buffer.concat(chunks).toString('utf8');
        const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
        manifests.set(key, { body, digest });
        res.statusCode = 201;
        res.setHeader('docker-content-digest', digest);
        res.end();
        return;
      }
      const found = manifests.get(key);
      if (!found) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('docker-content-digest', found.digest);
      res.setHeader('content-type', MEDIA_TYPE);
      res.end(req.method === 'HEAD' ? undefined : found.body);
    });
  });
  return new Promise((resolve) =>
    fake!.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(fake!.address() as AddressInfo).port}`)),
  );
}

async function pushImage(repository: string, tag: string): Promise<string> {
  const config = Buffer.from('{}');
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  if (!fake) {
    const start = await fetch(`http://${registry}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    assert.equal(start.status, 202);
    const location = new URL(start.headers.get('location')!, `http://${registry}`);
    location.searchParams.set('digest', configDigest);
    const put = await fetch(location, {
      method: 'PUT',
      body: config,
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(put.status, 201);
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: configDigest, size: config.length },
    layers: [],
  });
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    headers: { 'content-type': MEDIA_TYPE },
  });
  assert.equal(response.status, 201, await response.text());
  return `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
}

before(async () => {
  registry = process.env['GATECHAIN_TEST_REGISTRY'] ?? (await startFake());
});
after(() => {
  fake?.close();
});

describe(`registry tag resolution (${process.env['GATECHAIN_TEST_REGISTRY'] ? 'docker-registry' : 'in-process registry'})`, () => {
  test('a pushed tag resolves to the manifest digest; an unknown tag to nothing', async () => {
    const digest = await pushImage('gatechain/resolve-test', 'v1');
    const resolve = registryResolver({ insecureRegistries: [registry] });
    assert.equal(await resolve(parseImageReference(`${registry}/gatechain/resolve-test:v1`)), digest);
    assert.equal(await resolve(parseImageReference(`${registry}/gatechain/resolve-test:missing`)), undefined);
  });

  test('an unreachable registry is an error the mutating webhook reports, not a digest', async () => {
    const resolve = registryResolver({ insecureRegistries: ['127.0.0.1:1'], timeoutMs: 500 });
    await assert.rejects(resolve(parseImageReference('127.0.0.1:1/x/y:v1')));
  });
});

describe('store tag resolution', () => {
  test('a subject named like the tagged image gives its digest; the newest wins; others give nothing', async () => {
    const { createWorld } = await import('./helpers.ts');
    const { storeTagResolver, firstResolver } = await import('../../src/admission/index.ts');
    const { signStatement, bundleDigest } = await import('../../src/attest/index.ts');
    const world = await createWorld();
    try {
      const put = async (name: string, hex: string, createdAt: string) => {
        const subject = [{ name, digest: { sha256: hex } }];
        const bundle = await signStatement(
          {
            _type: 'https://in-toto.io/Statement/v1',
            subject,
            predicateType: 'https://slsa.dev/provenance/v1',
            predicate: {},
          },
          world.keys.ci.signer,
        );
        await world.store.putAttestation({
          bundleJson: JSON.stringify(bundle),
          bundleDigest: bundleDigest(bundle),
          subjects: subject,
          predicateType: 'https://slsa.dev/provenance/v1',
          signerKeyId: world.keys.ci.keyId,
          createdAt,
        });
      };
      await put('registry.example/app/web:2.0', 'a'.repeat(64), '2026-12-01T00:00:00Z');
      await put('registry.example/app/web:2.0', 'b'.repeat(64), '2026-12-02T00:00:00Z');
      const resolve = storeTagResolver(world.store);
      assert.equal(
        await resolve(parseImageReference('registry.example/app/web:2.0')),
        `sha256:${'b'.repeat(64)}`,
      );
      assert.equal(await resolve(parseImageReference('registry.example/app/web:3.0')), undefined);
      assert.equal(
        await resolve(parseImageReference('registry.example/app/web')),
        undefined,
        'no tag, nothing to resolve',
      );
      const chained = firstResolver([resolve, async () => `sha256:${'c'.repeat(64)}`]);
      assert.equal(
        await chained(parseImageReference('registry.example/app/web:3.0')),
        `sha256:${'c'.repeat(64)}`,
      );
    } finally {
      await world.store.close();
    }
  });
});
