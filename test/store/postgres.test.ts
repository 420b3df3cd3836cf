import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { openStore, storeOptionsFrom } from '../../src/store/index.ts';
import { backends, type Harness, PG_URL, rejectsWith, withHarness } from './helpers.ts';

const postgres = backends.find((backend) => backend.name === 'postgres');
if (postgres === undefined) throw new Error('postgres backend missing from helpers');

describe('store locations and URLs', () => {
  test('--store values: postgres URLs select PostgreSQL, anything else is a directory', () => {
    assert.deepEqual(storeOptionsFrom('postgres://u@h/db'), { url: 'postgres://u@h/db' });
    assert.deepEqual(storeOptionsFrom('POSTGRESQL://u@h/db'), { url: 'POSTGRESQL://u@h/db' });
    assert.deepEqual(storeOptionsFrom('.gatechain'), { dir: '.gatechain' });
    assert.deepEqual(storeOptionsFrom('/var/lib/postgres-store'), { dir: '/var/lib/postgres-store' });
  });

  test('open options and URLs are validated before anything connects', async () => {
    await rejectsWith(openStore({}), 'STORE_URL_INVALID');
    await rejectsWith(openStore({ dir: '/tmp/x', url: 'postgres://h/db' }), 'STORE_URL_INVALID');
    await rejectsWith(openStore({ url: 'mysql://h/db' }), 'STORE_URL_INVALID');
    await rejectsWith(openStore({ url: 'postgres://h/db?schema=Robert%27);drop' }), 'STORE_URL_INVALID');
    await rejectsWith(openStore({ url: 'postgres://[::1' }), 'STORE_URL_INVALID');
  });

  test('URL parsing never throws untyped errors and never keeps the password in what it prints', async () => {
    const { parsePostgresUrl } = await import('../../src/store/drivers/postgres.ts');
    const { StoreError } = await import('../../src/store/errors.ts');
    const password = fc.stringMatching(/^[A-Za-z0-9]{6,12}$/).map((text) => `pw${text}`);
    const url = fc.oneof(
      fc.string(),
      fc
        .tuple(
          password,
          fc.webUrl(),
          fc.constantFrom('', '?schema=ci', '?schema=Bad-Name', '?sslmode=disable&schema=x1'),
        )
        .map(
          ([secret, web, query]) =>
            web.replace(/^https?:\/\/(?:[^@/]*@)?/, `postgres://user:${secret}@`) + query,
        ),
    );
    fc.assert(
      fc.property(url, (text) => {
        try {
          const parsed = parsePostgresUrl(text);
          const secret = /:(pw[A-Za-z0-9]+)@/.exec(text)?.[1];
          if (secret !== undefined) assert.ok(!parsed.display.includes(secret), parsed.display);
          assert.ok(!parsed.connectionString.includes('schema='));
        } catch (error) {
          assert.ok(error instanceof StoreError && error.code === 'STORE_URL_INVALID', String(error));
        }
      }),
    );
  });

  test('an unreachable server is STORE_UNAVAILABLE and the message never shows the password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const error = await rejectsWith(
      openStore({ url: 'postgres://gatechain:s3cr3t-pass@127.0.0.1:1/store?schema=ci' }),
      'STORE_UNAVAILABLE',
    );
    assert.ok(!error.message.includes('s3cr3t-pass'), error.message);
    assert.ok(!JSON.stringify((error as unknown as { toJSON(): unknown }).toJSON()).includes('s3cr3t-pass'));
    assert.match(error.message, /127\.0\.0\.1:1/);
  });
});

describe('postgres store', () => {
  const skip = postgres.skip;
  test('a missing database is STORE_NOT_FOUND', { skip }, async () => {
    const url = new URL(PG_URL as string);
    url.pathname = '/gatechain_no_such_database';
    await rejectsWith(openStore({ url: url.toString() }), 'STORE_NOT_FOUND');
  });

  test('a migration that fails rolls back completely and the store stays at its version', { skip }, () =>
    withHarness(postgres, async (harness: Harness) => {
      const { postgresDriver } = await import('../../src/store/drivers/postgres.ts');
      const { migrate } = await import('../../src/store/migrate.ts');
      const { migrations } = await import('../../src/store/migrations/index.ts');
      const database = await postgresDriver.open({ url: harness.location, readonly: false });
      try {
        assert.equal(await migrate(database), 1);
        const broken = {
          version: 2,
          name: 'broken',
          async up(db: Kysely<unknown>) {
            await db.schema.createTable('half_done').addColumn('x', 'integer').execute();
            throw new Error('migration step failed');
          },
        };
        await assert.rejects(migrate(database, [...migrations, broken]), /migration step failed/);
        const versions = await harness.rows('select version from gatechain_migrations');
        assert.deepEqual(
          versions.map((row) => Number(row['version'])),
          [1],
        );
        assert.deepEqual(await harness.rows("select to_regclass('half_done') as t"), [{ t: null }]);
      } finally {
        await database.close();
      }
    }),
  );

  test(
    'several processes inserting into one fresh schema lose nothing and apply migrations once',
    { skip },
    () =>
      withHarness(postgres, async (harness: Harness) => {
        const workers = 3;
        const own = 30;
        const shared = 15;
        const script = new URL('./fixtures/insert-worker.ts', import.meta.url).pathname;
        const startAt = Date.now() + 1500;
        const runs = await Promise.all(
          Array.from(
            { length: workers },
            (_, worker) =>
              new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
                const child = spawn(
                  process.execPath,
                  [script, harness.location, String(worker), String(own), String(shared), String(startAt)],
                  { stdio: ['ignore', 'pipe', 'pipe'] },
                );
                let stdout = '';
                let stderr = '';
                child.stdout.on('data', (chunk) => (stdout += chunk));
                child.stderr.on('data', (chunk) => (stderr += chunk));
                child.on('error', fail);
                child.on('close', (code) => done({ code, stdout, stderr }));
              }),
          ),
        );
        for (const run of runs) {
          assert.equal(run.stderr, '');
          assert.equal(run.code, 0);
        }
        const sharedIds = runs.flatMap(
          (run) => (JSON.parse(run.stdout) as { sharedInserted: string[] }).sharedInserted,
        );
        assert.equal(new Set(sharedIds).size, shared);
        assert.equal(sharedIds.length, shared);
        const store = await harness.open(true);
        assert.equal(await store.countAttestations(), workers * own + shared);
        await store.close();
        const versions = await harness.rows('select version from gatechain_migrations');
        assert.deepEqual(
          versions.map((row) => Number(row['version'])),
          [1],
        );
      }),
  );
});
