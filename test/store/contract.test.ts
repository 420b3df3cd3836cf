import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AttestationQuery, NewAttestation, StoredAttestation } from '../../src/store/index.ts';
import { backends, makeRecord, rejectsWith, sha256Hex, withHarness } from './helpers.ts';

/** The same behaviour is required of every driver: this suite runs once per database. */
for (const backend of backends) {
  describe(`store contract (${backend.name})`, () => {
    const skip = backend.skip;
    test('put then get returns every field; createdAt is normalised to UTC', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        assert.equal(store.driver, backend.name);
        const record = makeRecord('one', {
          subjects: [
            { name: 'app.tar', digest: { sha256: sha256Hex('a'), sha512: sha256Hex('b') + sha256Hex('c') } },
            { digest: { gitCommit: 'f'.repeat(40) } },
          ],
          gate: 3,
          createdAt: '2026-01-02T03:04:05.678+01:00',
          source: 'gate:build',
        });
        assert.deepEqual(await store.putAttestation(record), { id: record.bundleDigest, inserted: true });
        const stored = await store.getAttestation(record.bundleDigest);
        assert.deepEqual(stored, {
          ...record,
          id: record.bundleDigest,
          createdAt: '2026-01-02T02:04:05.678Z',
        });
        await store.close();
      }),
    );

    test('createdAt defaults to now', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        const before = Date.now();
        const { id } = await store.putAttestation(makeRecord('now'));
        const stored = await store.getAttestation(id);
        const at = Date.parse(stored?.createdAt ?? '');
        assert.ok(at >= before - 5 && at <= Date.now() + 5, `createdAt ${stored?.createdAt}`);
        await store.close();
      }),
    );

    test('putAttestation is idempotent by bundle digest and the envelope is written once', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        const record = makeRecord('idem');
        assert.equal((await store.putAttestation(record)).inserted, true);
        const again = await store.putAttestation({
          ...record,
          bundleJson: `${record.bundleJson}\n`,
          gate: 5,
        });
        assert.deepEqual(again, { id: record.bundleDigest, inserted: false });
        assert.equal(await store.countAttestations(), 1);
        const stored = await store.getAttestation(record.bundleDigest);
        assert.equal(stored?.bundleJson, record.bundleJson);
        assert.equal(stored?.gate, undefined);
        const envelopes = await harness.rows('select count(*) as n from gatechain_envelopes');
        assert.equal(Number(envelopes[0]?.['n']), 1);
        await store.close();
      }),
    );

    test('concurrent puts of one digest insert it exactly once', { skip }, () =>
      withHarness(backend, async (harness) => {
        const stores = [await harness.open(), await harness.open(), await harness.open()];
        const record = makeRecord('race');
        const results = await Promise.all(
          stores.flatMap((store) => [store.putAttestation(record), store.putAttestation(record)]),
        );
        assert.equal(results.filter((result) => result.inserted).length, 1);
        assert.equal(await stores[0]?.countAttestations(), 1);
        for (const store of stores) await store.close();
      }),
    );

    test('an id prefix of 8+ hex digits finds one attestation; an ambiguous one is refused', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        const shared = '0123abcd';
        const first = makeRecord('p1', { bundleDigest: `${shared}${'1'.repeat(56)}` });
        const second = makeRecord('p2', { bundleDigest: `${shared}${'2'.repeat(56)}` });
        const third = makeRecord('p3', { bundleDigest: `ffffffff${'0'.repeat(56)}` });
        for (const record of [first, second, third]) await store.putAttestation(record);
        assert.equal((await store.getAttestation(`${shared}1`))?.id, first.bundleDigest);
        assert.equal(
          (await store.getAttestation(`sha256:${shared.toUpperCase()}2`))?.id,
          second.bundleDigest,
        );
        assert.equal((await store.getAttestation('ffffffff'))?.id, third.bundleDigest);
        assert.equal(await store.getAttestation('ffffffff1'), undefined);
        assert.equal(await store.getAttestation('e'.repeat(64)), undefined);
        const ambiguous = await rejectsWith(store.getAttestation(shared), 'STORE_AMBIGUOUS_ID');
        assert.match(ambiguous.message, /more than one/);
        for (const bad of ['0123abc', 'xyz12345', '', `${'a'.repeat(65)}`, 'sha512:0123abcd']) {
          await rejectsWith(store.getAttestation(bad), 'STORE_QUERY_INVALID');
        }
        await store.close();
      }),
    );

    test('findAttestations filters like a reference model and lists newest first', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        const commitA = 'a'.repeat(40);
        const commitB = 'b'.repeat(40);
        const image = sha256Hex('image');
        const records: NewAttestation[] = [];
        for (let i = 0; i < 24; i++) {
          const subjects: NewAttestation['subjects'] = [{ digest: { gitCommit: i % 2 ? commitA : commitB } }];
          if (i % 3 === 0) subjects.push({ name: 'image', digest: { sha256: image } });
          const record = makeRecord(`find-${i}`, {
            subjects,
            predicateType: ['p/code-scan', 'p/sbom', 'p/vulns'][i % 3] as string,
            signerKeyId: i % 4 === 0 ? 'key-security' : 'key-ci',
            // Two records per second share a timestamp, so the id tie-break is exercised.
            createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 2))).toISOString(),
          });
          if (i % 5 !== 4) record.gate = 1 + (i % 5);
          records.push(record);
          await store.putAttestation(record);
        }
        const stored = new Map<string, StoredAttestation>();
        for (const record of records) {
          const full = await store.getAttestation(record.bundleDigest);
          assert.ok(full);
          stored.set(full.id, full);
        }
        const reference = (query: AttestationQuery): string[] => {
          const matches = [...stored.values()].filter((record) => {
            if (query.subjectDigest) {
              const [algorithm, hex] = query.subjectDigest.split(':');
              if (!record.subjects.some((subject) => subject.digest[algorithm as string] === hex))
                return false;
            }
            if (query.predicateType !== undefined && record.predicateType !== query.predicateType)
              return false;
            if (query.signerKeyId !== undefined && record.signerKeyId !== query.signerKeyId) return false;
            if (query.gate !== undefined && record.gate !== query.gate) return false;
            if (query.since !== undefined && record.createdAt < new Date(query.since).toISOString())
              return false;
            return true;
          });
          matches.sort((x, y) =>
            x.createdAt === y.createdAt ? (x.id < y.id ? 1 : -1) : x.createdAt < y.createdAt ? 1 : -1,
          );
          const offset = query.offset ?? 0;
          return matches
            .slice(offset, query.limit === undefined ? undefined : offset + query.limit)
            .map((r) => r.id);
        };
        const queries: AttestationQuery[] = [
          {},
          { subjectDigest: `gitCommit:${commitA}` },
          { subjectDigest: `gitCommit:${commitB}`, predicateType: 'p/sbom' },
          { subjectDigest: `sha256:${image}` },
          { subjectDigest: `sha256:${sha256Hex('nothing')}` },
          { signerKeyId: 'key-security' },
          { gate: 2 },
          { gate: 5 },
          { since: '2026-01-01T00:00:07Z' },
          { since: '2026-01-01T01:00:07+01:00', predicateType: 'p/vulns' },
          { limit: 5 },
          { limit: 4, offset: 3 },
          { offset: 20 },
          { subjectDigest: `gitCommit:${commitA}`, signerKeyId: 'key-ci', gate: 2, limit: 2 },
        ];
        for (const query of queries) {
          const found = await store.findAttestations(query);
          assert.deepEqual(
            found.map((record) => record.id),
            reference(query),
            JSON.stringify(query),
          );
          for (const record of found) assert.deepEqual(record, stored.get(record.id));
          const { limit: _limit, offset: _offset, ...filters } = query;
          assert.equal(
            await store.countAttestations(query),
            reference(filters).length,
            JSON.stringify(query),
          );
        }
        await store.close();
      }),
    );

    test('invalid queries are STORE_QUERY_INVALID', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        const bad: unknown[] = [
          { subjectDigest: 'sha256' },
          { subjectDigest: 'sha256:ABC' },
          { subjectDigest: 'sha256:abc' },
          { subjectDigest: ':abc' },
          { subjectDigest: `sha256:${'a'.repeat(64)} ` },
          { subjectDigest: 42 },
          { gate: 0 },
          { gate: 6 },
          { gate: 2.5 },
          { since: 'yesterday' },
          { since: '2026-02-30T00:00:00Z' },
          { limit: 0 },
          { limit: 1.5 },
          { offset: -1 },
          { predicateType: 'a\u0000b' },
          { signerKeyId: '\ud800' },
          null,
          'query',
        ];
        for (const query of bad) {
          await rejectsWith(store.findAttestations(query as AttestationQuery), 'STORE_QUERY_INVALID');
          await rejectsWith(store.countAttestations(query as AttestationQuery), 'STORE_QUERY_INVALID');
        }
        await store.close();
      }),
    );

    test('invalid records are STORE_INPUT_INVALID and store nothing', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        const good = makeRecord('good');
        const bad: Partial<NewAttestation>[] = [
          { bundleDigest: good.bundleDigest.toUpperCase() },
          { bundleDigest: 'abc' },
          { bundleJson: '{"x":"\ud800"}' },
          { subjects: [] },
          { subjects: [{ digest: {} }] },
          { subjects: [{ digest: { sha256: 'abc' } }] },
          { subjects: [{ digest: { 'sha 256': 'ab' } }] },
          { subjects: [{ name: 'n\u0000', digest: { sha256: sha256Hex('x') } }] },
          { predicateType: '' },
          { predicateType: 'p\u0000' },
          { signerKeyId: 'x'.repeat(5000) },
          { gate: 0 },
          { gate: 7 },
          { createdAt: 'now' },
          { createdAt: '2026-13-01T00:00:00Z' },
          { source: '\udfff' },
        ];
        for (const override of bad) {
          await rejectsWith(
            store.putAttestation({ ...good, ...override } as NewAttestation),
            'STORE_INPUT_INVALID',
          );
        }
        assert.equal(await store.countAttestations(), 0);
        await store.close();
      }),
    );

    test(
      'an insert that fails half-way leaves nothing behind (attestation, subjects, envelope)',
      { skip },
      () =>
        withHarness(backend, async (harness) => {
          const store = await harness.open();
          const kept = makeRecord('kept');
          await store.putAttestation(kept);
          const poison = sha256Hex('poison');
          await harness.failSubjectInserts(poison);
          const doomed = makeRecord('doomed', {
            subjects: [{ digest: { sha256: sha256Hex('fine') } }, { digest: { sha256: poison } }],
          });
          await assert.rejects(store.putAttestation(doomed), (error: Error & { code?: string }) =>
            Boolean(error.code?.startsWith('STORE_')),
          );
          for (const table of ['gatechain_envelopes', 'gatechain_attestations', 'gatechain_subjects']) {
            const rows = await harness.rows(`select count(*) as n from ${table}`);
            assert.equal(Number(rows[0]?.['n']), 1, table);
          }
          assert.equal((await store.getAttestation(kept.bundleDigest))?.id, kept.bundleDigest);
          await harness.exec(
            'drop trigger fail_subject on gatechain_subjects'.replace(
              backend.name === 'sqlite' ? ' on gatechain_subjects' : '',
              '',
            ),
          );
          assert.equal((await store.putAttestation(doomed)).inserted, true);
          assert.equal(await store.countAttestations({ subjectDigest: `sha256:${poison}` }), 1);
          await store.close();
        }),
    );

    test('meta values are stored, replaced and read back', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        assert.equal(await store.getMeta('ledger.size'), undefined);
        await store.putMeta('ledger.size', '1');
        await store.putMeta('ledger.size', '2');
        await store.putMeta('ünïcødé 🔑', 'välue\n');
        assert.equal(await store.getMeta('ledger.size'), '2');
        assert.equal(await store.getMeta('ünïcødé 🔑'), 'välue\n');
        await rejectsWith(store.putMeta('', 'x'), 'STORE_INPUT_INVALID');
        await rejectsWith(store.putMeta('k', 'a\u0000'), 'STORE_INPUT_INVALID');
        await rejectsWith(store.getMeta('\ud800'), 'STORE_QUERY_INVALID');
        await store.close();
      }),
    );

    test('migrations are recorded once, reopening applies nothing, a newer store is refused', { skip }, () =>
      withHarness(backend, async (harness) => {
        const stores = await Promise.all([harness.open(), harness.open(), harness.open(), harness.open()]);
        await stores[0]?.putAttestation(makeRecord('before'));
        for (const store of stores) await store.close();
        const reopened = await harness.open();
        await reopened.close();
        const versions = await harness.rows(
          'select version, name from gatechain_migrations order by version',
        );
        assert.deepEqual(
          versions.map((row) => [Number(row['version']), row['name']]),
          [[1, 'initial-schema']],
        );
        await harness.exec(
          "insert into gatechain_migrations (version, name, applied_at) values (999, 'future', 'x')",
        );
        const error = await rejectsWith(harness.open(), 'STORE_VERSION_TOO_NEW');
        assert.match(error.message, /999/);
        await rejectsWith(harness.open(true), 'STORE_VERSION_TOO_NEW');
        await harness.exec('delete from gatechain_migrations where version = 999');
        const after = await harness.open(true);
        assert.equal(await after.countAttestations(), 1);
        await after.close();
      }),
    );

    test('a read-only store reads and refuses every write; a missing one is STORE_NOT_FOUND', { skip }, () =>
      withHarness(backend, async (harness) => {
        await rejectsWith(harness.open(true), 'STORE_NOT_FOUND');
        const writer = await harness.open();
        const record = makeRecord('ro');
        await writer.putAttestation(record);
        await writer.close();
        const reader = await harness.open(true);
        assert.equal((await reader.getAttestation(record.bundleDigest))?.bundleJson, record.bundleJson);
        await rejectsWith(reader.putAttestation(makeRecord('ro-2')), 'STORE_READONLY');
        await rejectsWith(reader.putMeta('k', 'v'), 'STORE_READONLY');
        assert.equal(await reader.countAttestations(), 1);
        await reader.close();
      }),
    );

    test('a closed store refuses calls with STORE_CLOSED; close is idempotent', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        await store.close();
        await store.close();
        await rejectsWith(store.countAttestations(), 'STORE_CLOSED');
        await rejectsWith(store.putAttestation(makeRecord('late')), 'STORE_CLOSED');
      }),
    );
  });
}
