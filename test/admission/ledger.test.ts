import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { ValidationOutcome } from '../../src/admission/index.ts';
import {
  boundedReasons,
  breakGlassRecords,
  createAdmissionEngine,
  decisionRecord,
  decisionSubjects,
  loadPolicies,
  MAX_DECISION_REASONS,
  MAX_REASON_CHARS,
} from '../../src/admission/index.ts';
import { writeInstallBundle } from '../../src/admission/install/index.ts';
import {
  decodeRecord,
  encodeRecord,
  type Ledger,
  type LedgerRecord,
  leafHash,
  openLedger,
  openLedgerReader,
  rootFromLeafHashes,
  verifyCheckpoint,
  verifyReceipt,
} from '../../src/ledger/index.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';
import { buildApp, createMetrics, type DecisionLedger } from '../../src/server/index.ts';
import { admissionReview, FakeApiServer, postJson } from './harness.ts';
import { createWorld, imageOf, pod, policyYaml, randomDigest, tempDir, type World } from './helpers.ts';

let world: World;
let ledger: Ledger;
let app: FastifyInstance;
let api: FakeApiServer;
let ca: string;
let base: string;
let policyDigest: string;
/** Every append the server started, so a test can wait for the fire-and-forget ones to land. */
const appends: Promise<unknown>[] = [];
let seen = 0;

before(async () => {
  world = await createWorld();
  const enforceYaml = policyYaml(world.keys.ci);
  const auditYaml = policyYaml(world.keys.ci, {
    name: 'require-chain-audit',
    namespace: 'staging',
    action: 'Audit',
  });
  const policies = [...loadPolicies(enforceYaml, 'enforce.yaml'), ...loadPolicies(auditYaml, 'audit.yaml')];
  policyDigest = `sha256:${createHash('sha256').update(enforceYaml).digest('hex')}`;
  const engine = await createAdmissionEngine({
    store: world.store,
    policies,
    breakGlassKeys: [world.keys.breakGlass.publicKeyPem],
  });
  ledger = await openLedger({ storeDir: world.dir });
  const recording: DecisionLedger = {
    appendRecord(record) {
      const promise = ledger.append(record);
      appends.push(promise);
      return promise;
    },
  };
  const paths = await writeInstallBundle({
    namespace: 'gatechain',
    service: 'gatechain',
    out: tempDir('ledger-install'),
    image: `gatechain@sha256:${'a'.repeat(64)}`,
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
      metrics: createMetrics({ defaultMetrics: false }),
      deadlineMs: 5000,
      ledger: recording,
      policyDigest,
    },
    { https: { cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8') } },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  api = new FakeApiServer({
    caCertPem: ca,
    validate: { url: `${base}/validate`, failurePolicy: 'Fail', timeoutSeconds: 10 },
  });
});

after(async () => {
  await app.close();
  await ledger.close();
  await world.store.close();
});

/** The records appended since the last call, read back from the store as any reader would. */
async function newRecords(): Promise<LedgerRecord[]> {
  await Promise.allSettled(appends);
  await ledger.flush();
  const reader = openLedgerReader(world.dir);
  try {
    const size = await reader.size();
    const records: LedgerRecord[] = [];
    for (let index = seen; index < size; index++) records.push(decodeRecord(await reader.entry(index)));
    seen = size;
    return records;
  } finally {
    await reader.close();
  }
}

const hexOf = (digest: string) => digest.slice('sha256:'.length);

describe('admission decisions in the ledger', () => {
  test('an allowed request appends one pass decision naming the image digest and the policy', async () => {
    await newRecords();
    const digest = await world.goodImage();
    const result = await api.admit(pod([imageOf(digest)]), { namespace: 'production' });
    assert.equal(result.allowed, true, result.message);
    const records = await newRecords();
    assert.equal(records.length, 1);
    const [record] = records;
    assert.equal(record?.kind, 'gate-decision');
    if (record?.kind !== 'gate-decision') return;
    assert.equal(record.gate, '4');
    assert.equal(record.decision, 'pass');
    assert.deepEqual(record.subjects, [{ sha256: hexOf(digest) }]);
    assert.equal(record.policyDigest, policyDigest);
    assert.equal(record.reasons, undefined);
  });

  test('a decision served from the warm cache is logged again', async () => {
    const digest = await world.goodImage();
    await newRecords();
    for (let i = 0; i < 3; i++) {
      assert.equal((await api.admit(pod([imageOf(digest)]), { namespace: 'production' })).allowed, true);
    }
    const records = await newRecords();
    assert.deepEqual(
      records.map((r) => (r.kind === 'gate-decision' ? r.decision : r.kind)),
      ['pass', 'pass', 'pass'],
    );
  });

  test('a denied request appends a fail decision with the violated rule as reason', async () => {
    await newRecords();
    const good = await world.goodImage();
    const unsigned = randomDigest();
    const result = await api.admit(pod([imageOf(good), imageOf(unsigned)]), { namespace: 'production' });
    assert.equal(result.allowed, false);
    const records = await newRecords();
    assert.equal(records.length, 1);
    const [record] = records;
    if (record?.kind !== 'gate-decision') assert.fail(`expected a gate-decision, got ${record?.kind}`);
    assert.equal(record.decision, 'fail');
    assert.deepEqual(record.subjects, [{ sha256: hexOf(good) }, { sha256: hexOf(unsigned) }]);
    assert.ok(record.reasons && record.reasons.length >= 1);
    assert.ok(record.reasons.every((r) => r.startsWith('require-chain/') && r.includes(unsigned)));
  });

  test('an audit-mode request admitted with violations appends a warn decision', async () => {
    await newRecords();
    const unsigned = randomDigest();
    const result = await api.admit(pod([imageOf(unsigned)]), { namespace: 'staging' });
    assert.equal(result.allowed, true, result.message);
    const records = await newRecords();
    assert.equal(records.length, 1);
    const [record] = records;
    if (record?.kind !== 'gate-decision') assert.fail(`expected a gate-decision, got ${record?.kind}`);
    assert.equal(record.decision, 'warn');
    assert.deepEqual(record.subjects, [{ sha256: hexOf(unsigned) }]);
    assert.ok(record.reasons?.every((r) => r.startsWith('require-chain-audit/')));
  });

  test('a break-glass admission appends a break-glass record before the warn decision', async () => {
    await newRecords();
    const digest = randomDigest();
    await world.attest(
      digest,
      PredicateType.breakGlass,
      { reason: 'outage in eu-west', ticket: 'INC-42', ttlSeconds: 600, issuedAt: new Date().toISOString() },
      world.keys.breakGlass,
    );
    const [stored] = await world.store.findAttestations({ subjectDigest: digest, limit: 10 });
    assert.ok(stored);
    const result = await api.admit(pod([imageOf(digest)]), { namespace: 'production' });
    assert.equal(result.allowed, true, result.message);
    const records = await newRecords();
    assert.deepEqual(
      records.map((r) => r.kind),
      ['break-glass', 'gate-decision'],
    );
    const [glass, decision] = records;
    if (glass?.kind !== 'break-glass' || decision?.kind !== 'gate-decision') return assert.fail();
    assert.deepEqual(glass.subjects, [{ sha256: hexOf(digest) }]);
    assert.equal(glass.reason, 'outage in eu-west');
    assert.equal(glass.ticket, 'INC-42');
    assert.equal(glass.actor, world.keys.breakGlass.keyId);
    assert.equal(glass.documentDigest, `sha256:${stored.id}`);
    assert.equal(decision.decision, 'warn');
    assert.ok(decision.reasons?.some((r) => r.startsWith('break-glass INC-42 admitted')));
  });

  test('a dry run is decided but appends nothing', async () => {
    await newRecords();
    const digest = await world.goodImage();
    const review = admissionReview(pod([imageOf(digest)]), { namespace: 'production' });
    (review['request'] as Record<string, unknown>)['dryRun'] = true;
    const answer = await postJson(`${base}/validate`, review, ca, 5000);
    assert.equal((answer.body as { response: { allowed: boolean } }).response.allowed, true);
    const denied = admissionReview(pod([imageOf(randomDigest())]), { namespace: 'production' });
    (denied['request'] as Record<string, unknown>)['dryRun'] = true;
    await postJson(`${base}/validate`, denied, ca, 5000);
    assert.deepEqual(await newRecords(), []);
  });

  test('a request outside every policy is no gate decision and appends nothing', async () => {
    await newRecords();
    const result = await api.admit(pod([imageOf(randomDigest(), 'other.example/tool')]), {
      namespace: 'production',
    });
    assert.equal(result.allowed, true);
    assert.deepEqual(await newRecords(), []);
  });

  test('a tag-only image refused commits to the object digest instead', async () => {
    await newRecords();
    const result = await api.admit(pod(['registry.example/app/web:latest']), { namespace: 'production' });
    assert.equal(result.allowed, false);
    const [record] = await newRecords();
    if (record?.kind !== 'gate-decision') return assert.fail(`expected a gate-decision, got ${record?.kind}`);
    assert.equal(record.decision, 'fail');
    assert.equal(record.subjects.length, 1);
    assert.match(record.subjects[0]?.['sha256'] ?? '', /^[0-9a-f]{64}$/);
    assert.ok(record.reasons?.some((r) => r.includes('tag only')));
  });

  test('a lone surrogate in the request (valid JSON) still gives a well-formed fail record', async () => {
    await newRecords();
    const review = admissionReview(pod(['registry.example/app/web:x']), { namespace: 'production' });
    const raw = JSON.stringify(review).replace('web:x', 'web:x\\ud800');
    const answer = await postJson(`${base}/validate`, undefined, ca, 5000, raw);
    assert.equal((answer.body as { response: { allowed: boolean } }).response.allowed, false);
    const [record] = await newRecords();
    if (record?.kind !== 'gate-decision') return assert.fail(`expected a gate-decision, got ${record?.kind}`);
    assert.equal(record.decision, 'fail');
    assert.ok(record.reasons?.some((r) => r.includes('web:x\ufffd')));
  });

  test('the log verifies: checkpoint size equals the records count, root and receipts check', async () => {
    await newRecords();
    const reader = openLedgerReader(world.dir);
    try {
      const size = await reader.size();
      const latest = await reader.latestPublished();
      assert.ok(latest);
      // 1 allowed + 3 cached + 1 denied + 1 audit + 2 break-glass + 0 dry-run + 0 out of scope
      // + 1 tag-only + 1 lone surrogate.
      assert.equal(size, 10);
      assert.equal(latest.size, size);
      const entries: Buffer[] = [];
      for (let index = 0; index < size; index++) entries.push(await reader.entry(index));
      for (const entry of entries) decodeRecord(entry);
      const verified = verifyCheckpoint(latest.published ?? latest.note, ledger.verifierKey);
      assert.equal(verified.checkpoint.size, size);
      assert.deepEqual(rootFromLeafHashes(entries.map(leafHash)), verified.checkpoint.root);
      const last = size - 1;
      const receipt = verifyReceipt(await reader.receipt(last), entries[last], ledger.verifierKey);
      assert.ok(receipt);
    } finally {
      await reader.close();
    }
  });
});

describe('ledger failures', () => {
  async function appWith(failing: DecisionLedger) {
    const engine = await createAdmissionEngine({
      store: world.store,
      policies: loadPolicies(policyYaml(world.keys.ci), 'enforce.yaml'),
      breakGlassKeys: [world.keys.breakGlass.publicKeyPem],
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const server = await buildApp({ engine, metrics, deadlineMs: 5000, ledger: failing });
    return { server, metrics };
  }
  const broken: DecisionLedger = { appendRecord: () => Promise.reject(new Error('disk full')) };

  test('a failed decision append is counted and logged, and the answer stands', async () => {
    const { server, metrics } = await appWith(broken);
    try {
      const digest = await world.goodImage();
      const response = await server.inject({
        method: 'POST',
        url: '/validate',
        payload: admissionReview(pod([imageOf(digest)]), { namespace: 'production' }),
      });
      assert.equal(response.json().response.allowed, true);
      await new Promise((resolve) => setImmediate(resolve));
      const counter = await metrics.ledgerAppendFailures.get();
      assert.deepEqual(
        counter.values.map((v) => [v.labels['kind'], v.value]),
        [['gate-decision', 1]],
      );
    } finally {
      await server.close();
    }
  });

  test('a break-glass use that cannot be recorded is not admitted under Enforce', async () => {
    const { server, metrics } = await appWith(broken);
    try {
      const digest = randomDigest();
      await world.attest(
        digest,
        PredicateType.breakGlass,
        { reason: 'outage', ticket: 'INC-43', ttlSeconds: 600, issuedAt: new Date().toISOString() },
        world.keys.breakGlass,
      );
      const response = await server.inject({
        method: 'POST',
        url: '/validate',
        payload: admissionReview(pod([imageOf(digest)]), { namespace: 'production' }),
      });
      const answer = response.json().response;
      assert.equal(answer.allowed, false);
      assert.match(answer.status.message, /break-glass use could not be recorded in the ledger: disk full/);
      const counter = await metrics.ledgerAppendFailures.get();
      assert.equal(counter.values.find((v) => v.labels['kind'] === 'break-glass')?.value, 1);
    } finally {
      await server.close();
    }
  });
});

describe('decision record bounds', () => {
  test('reasons are capped at 32, each at 1024 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => `reason ${i} ${'x'.repeat(i === 0 ? 5000 : 10)}`);
    const bounded = boundedReasons(many);
    assert.equal(bounded.length, MAX_DECISION_REASONS);
    assert.equal(bounded[0]?.length, MAX_REASON_CHARS);
    assert.equal(bounded.at(-1), '… and 9 more');
    assert.deepEqual(boundedReasons(['', '  ', 'kept']), ['kept']);
  });

  test('subjects are deduplicated digest sets; no digest falls back to the object digest', () => {
    const digest = randomDigest();
    assert.deepEqual(decisionSubjects([digest, digest], {}), [{ sha256: hexOf(digest) }]);
    const a = decisionSubjects([], { b: 1, a: 2 });
    const b = decisionSubjects([], { a: 2, b: 1 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, decisionSubjects([], { a: 3 }));
  });

  test('any outcome gives records the ledger accepts, under its 64 KiB entry cap', () => {
    const digest = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((bytes) => `sha256:${Buffer.from(bytes).toString('hex')}`);
    const text = fc.string({ unit: 'binary', maxLength: 6000 });
    const violation = fc.record({
      policy: text,
      rule: text,
      image: text,
      digest,
      action: fc.constantFrom('Audit' as const, 'Enforce' as const),
      message: text,
    });
    const use = fc.record({
      image: text,
      digest,
      grant: fc.record(
        {
          id: fc.oneof(
            text,
            digest.map((d) => d.slice(7)),
          ),
          reason: text,
          ticket: text,
          keyId: text,
          expires: fc.constant(new Date(0).toISOString()),
        },
        { requiredKeys: ['id', 'reason', 'expires'] },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(violation, { maxLength: 60 }),
        fc.array(use, { maxLength: 4 }),
        fc.array(digest, { maxLength: 300 }),
        fc.boolean(),
        fc.nat({ max: 3 }),
        (violations, breakGlass, digests, allowed, passed) => {
          const outcome: ValidationOutcome = {
            decision: { allowed, warnings: [], patch: [] },
            resource: { uid: 'u', kind: 'Pod', namespace: 'n', name: 'p', apiVersion: 'v1' },
            violations,
            breakGlass,
            passed,
          };
          const time = new Date();
          const record = decisionRecord(outcome, { subjects: decisionSubjects(digests, {}), time });
          const evaluated = passed > 0 || violations.length > 0 || breakGlass.length > 0;
          assert.equal(record !== undefined, evaluated);
          for (const each of [...(record ? [record] : []), ...breakGlassRecords(outcome, time)]) {
            assert.ok(encodeRecord(each).length <= 65_535);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
