import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ImageReference } from '../../src/admission/images/reference.ts';
import {
  createAdmissionEngine,
  loadPolicies,
  openAdmissionRecordStore,
  summarise,
} from '../../src/admission/index.ts';
import { writeInstallBundle } from '../../src/admission/install/index.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { buildApp, createMetrics } from '../../src/server/index.ts';
import {
  admissionReview,
  controllerChildren,
  FakeApiServer,
  manifestsFromYaml,
  postJson,
} from './harness.ts';
import {
  createWorld,
  imageOf,
  pod,
  policyYaml,
  REPO,
  randomDigest,
  sbom,
  tempDir,
  vulnScan,
  type World,
} from './helpers.ts';

let world: World;
let app: FastifyInstance;
let api: FakeApiServer;
let ca: string;
let base: string;
let clock = Date.now();
const notices: unknown[] = [];
let notifyServer: Server;
const tags = new Map<string, string>();

before(async () => {
  world = await createWorld();
  notifyServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      notices.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => notifyServer.listen(0, '127.0.0.1', resolve));
  const policies = [
    ...loadPolicies(policyYaml(world.keys.ci), 'enforce.yaml'),
    ...loadPolicies(
      policyYaml(world.keys.ci, { name: 'require-chain-audit', namespace: 'staging', action: 'Audit' }),
      'audit.yaml',
    ),
  ];
  const engine = await createAdmissionEngine({
    store: world.store,
    policies,
    securityKeys: [world.keys.security.publicKeyPem],
    breakGlassKeys: [world.keys.breakGlass.publicKeyPem],
    resolveTag: async (reference: ImageReference) =>
      tags.get(`${reference.registry}/${reference.repository}:${reference.tag}`),
    now: () => new Date(clock),
  });
  const out = tempDir('install');
  const paths = await writeInstallBundle({
    namespace: 'gatechain',
    service: 'gatechain',
    out,
    image: 'gatechain@sha256:' + 'a'.repeat(64),
    failurePolicy: 'Fail',
    timeoutSeconds: 10,
    replicas: 1,
    policyFiles: {},
    extraIpAddresses: ['127.0.0.1'],
  });
  ca = readFileSync(paths.caCert, 'utf8');
  app = await buildApp(
    {
      engine,
      records: openAdmissionRecordStore(world.dir),
      metrics: createMetrics({ defaultMetrics: false }),
      deadlineMs: 5000,
      notifyUrl: `http://127.0.0.1:${(notifyServer.address() as AddressInfo).port}/hook`,
      now: () => new Date(clock),
    },
    { https: { cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8') } },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  api = new FakeApiServer({
    caCertPem: ca,
    mutate: { url: `${base}/mutate`, failurePolicy: 'Fail', timeoutSeconds: 10 },
    validate: { url: `${base}/validate`, failurePolicy: 'Fail', timeoutSeconds: 10 },
  });
});

after(async () => {
  await app.close();
  notifyServer.close();
  await world.store.close();
});

const prod = { namespace: 'production' };

describe('admission webhook through the API-server harness', () => {
  test('a fully attested image is allowed', async () => {
    const digest = await world.goodImage();
    const result = await api.admit(pod([imageOf(digest)]), prod);
    assert.equal(result.allowed, true, result.message);
    assert.deepEqual(result.patches, []);
  });

  test('an unsigned image is denied with the reason', async () => {
    const result = await api.admit(pod([imageOf(randomDigest())]), prod);
    assert.equal(result.allowed, false);
    assert.equal(result.code, 403);
    assert.match(result.message ?? '', /0 of the required 1 attestor/);
  });

  test('attestations signed by the wrong key (wrong identity) are denied', async () => {
    const digest = randomDigest();
    await world.attest(digest, PredicateType.cyclonedx, sbom('1.0.0'), world.keys.other);
    await world.attest(digest, PredicateType.vulns, vulnScan([]), world.keys.other);
    const result = await api.admit(pod([imageOf(digest)]), prod);
    assert.equal(result.allowed, false);
    assert.match(
      result.message ?? '',
      /no attestation of type https:\/\/cyclonedx.org\/bom signed by the required attestors/,
    );
    assert.match(
      result.message ?? '',
      /1 stored attestation\(s\) of that type failed verification \(SIGNER_UNTRUSTED\)/,
    );
  });

  test('a missing attestation is denied and named', async () => {
    const digest = randomDigest();
    await world.attest(digest, PredicateType.cyclonedx, sbom('1.0.0'), world.keys.ci);
    const result = await api.admit(pod([imageOf(digest)]), prod);
    assert.equal(result.allowed, false);
    assert.match(
      result.message ?? '',
      /no attestation of type https:\/\/in-toto.io\/attestation\/vulns\/v0.2/,
    );
    assert.doesNotMatch(result.message ?? '', /cyclonedx/);
  });

  test('a false condition is denied: empty and missing component version', async () => {
    const empty = randomDigest();
    await world.attest(empty, PredicateType.cyclonedx, sbom(''), world.keys.ci);
    await world.attest(empty, PredicateType.vulns, vulnScan([]), world.keys.ci);
    const denied = await api.admit(pod([imageOf(empty)]), prod);
    assert.equal(denied.allowed, false);
    assert.match(denied.message ?? '', /"" equals ""/);
    const missing = randomDigest();
    await world.attest(missing, PredicateType.cyclonedx, sbom(undefined), world.keys.ci);
    await world.attest(missing, PredicateType.vulns, vulnScan([]), world.keys.ci);
    const deniedMissing = await api.admit(pod([imageOf(missing)]), prod);
    assert.equal(deniedMissing.allowed, false);
    assert.match(deniedMissing.message ?? '', /metadata\.component\.version \}\} resolved to nothing/);
  });

  test('a tag-only image is pinned by the mutating webhook when it resolves, and refused when not', async () => {
    const digest = await world.goodImage();
    tags.set(`${REPO}:1.0`, digest);
    const pinned = await api.admit(pod([`${REPO}:1.0`]), prod);
    assert.equal(pinned.allowed, true, pinned.message);
    const spec = pinned.object['spec'] as { containers: Array<{ image: string }> };
    assert.equal(spec.containers[0]!.image, `${REPO}:1.0@${digest}`);
    assert.deepEqual(pinned.patches[0], [
      { op: 'replace', path: '/spec/containers/0/image', value: `${REPO}:1.0@${digest}` },
    ]);
    const unresolved = await api.admit(pod([`${REPO}:unknown`]), prod);
    assert.equal(unresolved.allowed, false);
    assert.match(unresolved.message ?? '', /referenced by tag only/);
  });

  test('forged verification annotations are ignored and stripped', async () => {
    const forged = {
      'gatechain.dev/verified': 'true',
      'kyverno.io/verify-images': JSON.stringify({ [imageOf(randomDigest())]: 'pass' }),
    };
    const result = await api.admit(pod([imageOf(randomDigest())], { annotations: forged }), prod);
    assert.equal(result.allowed, false);
    const patch = result.patches[0] as Array<{ op: string; path: string }>;
    assert.deepEqual(patch, [{ op: 'remove', path: '/metadata/annotations/gatechain.dev~1verified' }]);
    const annotations = (result.object['metadata'] as { annotations: Record<string, string> }).annotations;
    assert.equal(annotations['gatechain.dev/verified'], undefined);
  });

  test('audit mode admits with warnings and records what Enforce would have blocked', async () => {
    const image = imageOf(randomDigest());
    const result = await api.admit(pod([image], { name: 'audited' }), { namespace: 'staging' });
    assert.equal(result.allowed, true);
    assert.ok(
      result.warnings.some((w) => w.startsWith('[audit] require-chain-audit/ci-signed:')),
      result.warnings.join('\n'),
    );
    const records = openAdmissionRecordStore(world.dir, { readonly: true });
    try {
      const summary = summarise(records.list());
      assert.ok((summary.wouldBlock.byNamespace['staging'] ?? 0) >= 1);
      assert.equal(summary.wouldBlock.byImage[image], 1);
      assert.ok((summary.wouldBlock.byRule['require-chain-audit/ci-signed'] ?? 0) >= 1);
    } finally {
      records.close();
    }
  });

  test('a vuln-exception from the security key covers its vulnerabilities until it expires', async () => {
    const digest = randomDigest();
    await world.attest(digest, PredicateType.cyclonedx, sbom('2.0.0'), world.keys.ci);
    await world.attest(digest, PredicateType.vulns, vulnScan(['CVE-2026-0001']), world.keys.ci);
    const before = await api.admit(pod([imageOf(digest)]), prod);
    assert.equal(before.allowed, false);
    assert.match(before.message ?? '', /unexcepted vulnerabilities remain/);
    // Signed by the CI key, not the security key: does not count.
    const expires = new Date(clock + 3600_000).toISOString();
    await world.attest(
      digest,
      PredicateType.vulnException,
      { ticket: 'SEC-1', vulnerabilities: ['CVE-2026-0001'], expires },
      world.keys.ci,
    );
    assert.equal((await api.admit(pod([imageOf(digest)]), prod)).allowed, false);
    await world.attest(
      digest,
      PredicateType.vulnException,
      { ticket: 'SEC-2', vulnerabilities: ['cve-2026-0001'], expires },
      world.keys.security,
    );
    const covered = await api.admit(pod([imageOf(digest)]), prod);
    assert.equal(covered.allowed, true, covered.message);
    // The cached success must not outlive the exception.
    const saved = clock;
    clock += 3600_000 + 1000;
    try {
      const expired = await api.admit(pod([imageOf(digest)]), prod);
      assert.equal(expired.allowed, false);
      assert.match(expired.message ?? '', /exception expired for CVE-2026-0001/);
    } finally {
      clock = saved;
    }
  });

  test('an exception for other vulnerabilities does not help', async () => {
    const digest = randomDigest();
    await world.attest(digest, PredicateType.cyclonedx, sbom('2.0.0'), world.keys.ci);
    await world.attest(
      digest,
      PredicateType.vulns,
      vulnScan(['CVE-2026-0002', 'CVE-2026-0003']),
      world.keys.ci,
    );
    const expires = new Date(clock + 3600_000).toISOString();
    await world.attest(
      digest,
      PredicateType.vulnException,
      { ticket: 'SEC-3', vulnerabilities: ['CVE-2026-0002'], expires },
      world.keys.security,
    );
    assert.equal((await api.admit(pod([imageOf(digest)]), prod)).allowed, false);
  });

  test('break-glass admits within its TTL with a warning, a record and a notification; denied after', async () => {
    const digest = randomDigest();
    const issuedAt = new Date(clock).toISOString();
    await world.attest(
      digest,
      PredicateType.breakGlass,
      { reason: 'outage', ticket: 'INC-7', ttlSeconds: 86_400, issuedAt },
      world.keys.breakGlass,
    );
    const within = await api.admit(pod([imageOf(digest)], { name: 'glass' }), prod);
    assert.equal(within.allowed, true, within.message);
    assert.ok(
      within.warnings.some((w) => w.startsWith('BREAK-GLASS INC-7')),
      within.warnings.join('\n'),
    );
    for (let i = 0; i < 50 && !notices.some((n) => (n as { digest: string }).digest === digest); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const notice = notices.find((n) => (n as { digest: string }).digest === digest) as {
      grant: { ticket: string; expires: string };
    };
    assert.equal(notice.grant.ticket, 'INC-7');
    // ttlSeconds 86400 is capped by the configured 2 h.
    assert.equal(Date.parse(notice.grant.expires) - Date.parse(issuedAt) <= 7200_000, true);
    const records = openAdmissionRecordStore(world.dir, { readonly: true });
    try {
      assert.ok(records.list().some((r) => r.rule === 'break-glass' && r.digest === digest));
    } finally {
      records.close();
    }
    const saved = clock;
    clock += 7200_000 + 1000;
    try {
      const afterTtl = await api.admit(pod([imageOf(digest)]), prod);
      assert.equal(afterTtl.allowed, false);
      assert.match(afterTtl.message ?? '', /break-glass INC-7 expired at/);
    } finally {
      clock = saved;
    }
  });

  test('a dry-run request is decided but leaves no record and sends no notification (sideEffects: None)', async () => {
    const digest = randomDigest();
    const issuedAt = new Date(clock).toISOString();
    await world.attest(
      digest,
      PredicateType.breakGlass,
      { reason: 'drill', ticket: 'INC-DRY', ttlSeconds: 600, issuedAt },
      world.keys.breakGlass,
    );
    const review = admissionReview(pod([imageOf(digest)], { name: 'dry' }), { namespace: 'production' });
    (review['request'] as Record<string, unknown>)['dryRun'] = true;
    const answer = await postJson(`${base}/validate`, review, ca, 5000);
    const response = (answer.body as { response: { allowed: boolean; warnings: string[] } }).response;
    assert.equal(response.allowed, true);
    assert.ok(response.warnings.some((w) => w.startsWith('BREAK-GLASS INC-DRY')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(
      notices.some((n) => (n as { digest: string }).digest === digest),
      false,
    );
    const records = openAdmissionRecordStore(world.dir, { readonly: true });
    try {
      assert.equal(
        records.list().some((r) => r.digest === digest),
        false,
      );
    } finally {
      records.close();
    }
  });

  test('break-glass signed by a key that is not a break-glass key admits nothing', async () => {
    const digest = randomDigest();
    const issuedAt = new Date(clock).toISOString();
    await world.attest(
      digest,
      PredicateType.breakGlass,
      { reason: 'x', ticket: 'INC-8', ttlSeconds: 600, issuedAt },
      world.keys.ci,
    );
    assert.equal((await api.admit(pod([imageOf(digest)]), prod)).allowed, false);
  });

  test('malformed requests get HTTP 400 with a message and the server keeps serving', async () => {
    const garbage = await postJson(`${base}/validate`, undefined, ca, 5000, '{"apiVersion": ');
    assert.equal(garbage.status, 400);
    const noUid = await postJson(
      `${base}/validate`,
      {
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: { kind: { group: '', version: 'v1', kind: 'Pod' }, operation: 'CREATE' },
      },
      ca,
      5000,
    );
    assert.equal(noUid.status, 400);
    assert.match(JSON.stringify(noUid.body), /request\.uid/);
    const wrongVersion = await postJson(
      `${base}/mutate`,
      { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: {} },
      ca,
      5000,
    );
    assert.equal(wrongVersion.status, 400);
    const digest = await world.goodImage();
    assert.equal((await api.admit(pod([imageOf(digest)]), prod)).allowed, true);
  });

  test('init and ephemeral containers are verified too', async () => {
    const good = await world.goodImage();
    const init = await api.admit(pod([imageOf(good)], { init: [imageOf(randomDigest())] }), prod);
    assert.equal(init.allowed, false);
    assert.match(init.message ?? '', /0 of the required/);
    const withEphemeral = pod([imageOf(good)]);
    (withEphemeral.spec as Record<string, unknown>)['ephemeralContainers'] = [
      { name: 'debug', image: imageOf(randomDigest()) },
    ];
    const ephemeral = await api.admit(withEphemeral, {
      namespace: 'production',
      operation: 'UPDATE',
      subResource: 'ephemeralcontainers',
    });
    assert.equal(ephemeral.allowed, false);
  });

  test('namespaces outside the policy are not checked', async () => {
    const result = await api.admit(pod([imageOf(randomDigest())]), { namespace: 'dev' });
    assert.equal(result.allowed, true);
    assert.deepEqual(result.warnings, []);
  });
});

function template(image: string) {
  return { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } };
}

const CONTROLLERS: Record<string, (image: string) => Record<string, unknown>> = {
  Deployment: (image) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { replicas: 1, template: template(image) },
  }),
  ReplicaSet: (image) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'r' },
    spec: { replicas: 1, template: template(image) },
  }),
  StatefulSet: (image) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 's' },
    spec: { serviceName: 's', template: template(image) },
  }),
  DaemonSet: (image) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ds' },
    spec: { template: template(image) },
  }),
  Job: (image) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j' },
    spec: { template: template(image) },
  }),
  CronJob: (image) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cj' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: template(image) } } },
  }),
};

describe('manifests written as YAML', () => {
  test('each document of a manifest file is admitted or denied on its own images', async () => {
    const good = await world.goodImage();
    const text = readFileSync(join(import.meta.dirname, 'fixtures/workloads.yaml'), 'utf8')
      .replaceAll('GOOD_DIGEST', good)
      .replaceAll('UNSIGNED_DIGEST', randomDigest());
    const verdicts: Record<string, boolean> = {};
    for (const object of manifestsFromYaml(text)) {
      const result = await api.admit(object, prod);
      verdicts[`${String(object['kind'])}/${String((object['metadata'] as { name: string }).name)}`] =
        result.allowed;
    }
    assert.deepEqual(verdicts, {
      'Deployment/web': true,
      'CronJob/report': false,
      'Pod/debug': false,
      'ConfigMap/settings': true,
    });
  });
});

describe('manifests generated by kubectl (--dry-run=client)', () => {
  const ZERO = `sha256:${'0'.repeat(64)}`;
  const manifests = () => readFileSync(join(import.meta.dirname, 'fixtures/kubectl-workloads.yaml'), 'utf8');

  test('signed digests: every object and every object its controller creates is admitted', async () => {
    const good = await world.goodImage();
    const objects = manifestsFromYaml(manifests().replaceAll(ZERO, good));
    assert.deepEqual(
      objects.map((o) => o['kind']),
      ['Deployment', 'CronJob', 'Job'],
    );
    const queue = [...objects];
    let admitted = 0;
    while (queue.length > 0) {
      const object = queue.shift()!;
      const result = await api.admit(object, prod);
      assert.equal(result.allowed, true, `${String(object['kind'])}: ${result.message}`);
      admitted++;
      queue.push(...controllerChildren(object));
    }
    assert.equal(admitted, 8, 'Deployment→ReplicaSet→Pod, CronJob→Job→Pod, Job→Pod');
  });

  test('an unsigned digest: every object is denied', async () => {
    for (const object of manifestsFromYaml(manifests().replaceAll(ZERO, randomDigest()))) {
      const result = await api.admit(object, prod);
      assert.equal(result.allowed, false, String(object['kind']));
    }
  });
});

describe('pod controllers: the template is checked, and so is every object the controller creates', () => {
  for (const [kind, build] of Object.entries(CONTROLLERS)) {
    test(kind, async () => {
      const good = await world.goodImage();
      const bad = imageOf(randomDigest());
      const walk = async (object: Record<string, unknown>, expected: boolean, depth = 0): Promise<number> => {
        const result = await api.admit(object, prod);
        assert.equal(result.allowed, expected, `${String(object['kind'])}: ${result.message}`);
        let count = 1;
        for (const child of controllerChildren(object)) count += await walk(child, expected, depth + 1);
        return count;
      };
      const admittedObjects = await walk(build(imageOf(good)), true);
      assert.ok(admittedObjects >= 2, 'the controller and at least one child were admitted');
      await walk(build(bad), false);
    });
  }
});
