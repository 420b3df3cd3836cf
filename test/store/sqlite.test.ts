import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.ts';
import { makeRecord, rejectsWith } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'gatechain-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => join(root, `store-${++counter}`);

function fingerprint(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('sqlite store files', () => {
  test('the store directory is created private (0700) with gatechain.db in WAL mode', async () => {
    const dir = join(freshDir(), 'nested', '.gatechain');
    const store = await openStore({ dir });
    await store.putAttestation(makeRecord('wal'));
    await store.close();
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const raw = new Database(join(dir, 'gatechain.db'), { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      const tables = raw
        .prepare("select name from sqlite_master where type = 'table' order by name")
        .all()
        .map((row) => (row as { name: string }).name);
      assert.deepEqual(tables, [
        'gatechain_attestations',
        'gatechain_envelopes',
        'gatechain_meta',
        'gatechain_migrations',
        'gatechain_subjects',
      ]);
      const indexes = raw
        .prepare(
          "select name from sqlite_master where type = 'index' and name not like 'sqlite_%' order by name",
        )
        .all()
        .map((row) => (row as { name: string }).name);
      assert.deepEqual(indexes, [
        'gatechain_attestations_created_at',
        'gatechain_attestations_gate',
        'gatechain_attestations_predicate_type',
        'gatechain_attestations_signer',
        'gatechain_subjects_digest',
      ]);
    } finally {
      raw.close();
    }
  });

  test('connections run with WAL, synchronous=NORMAL, foreign keys and a busy timeout', async () => {
    const { sqliteDriver, BUSY_TIMEOUT_MS } = await import('../../src/store/drivers/sqlite.ts');
    const { sql } = await import('kysely');
    const database = await sqliteDriver.open({ dir: freshDir(), readonly: false });
    try {
      const pragma = async (name: string) =>
        Object.values(
          (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(database.db)).rows[0] ?? {},
        )[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('synchronous'), 1); // NORMAL
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('busy_timeout'), BUSY_TIMEOUT_MS);
    } finally {
      await database.close();
    }
  });

  const corruptCases: [string, () => Buffer][] = [
    ['a text file', () => Buffer.from('these are my notes, not a database\n')],
    ['random bytes', () => randomBytes(8192)],
    ['a truncated SQLite header', () => Buffer.from('SQLite for')],
    [
      'an SQLite header followed by garbage',
      () => Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), randomBytes(4080)]),
    ],
  ];
  for (const [label, content] of corruptCases) {
    test(`${label} at the store path is STORE_CORRUPT, names the file and is left untouched`, async () => {
      const dir = freshDir();
      mkdirSync(dir);
      const file = join(dir, 'gatechain.db');
      writeFileSync(file, content());
      const before = fingerprint(file);
      for (const readonly of [false, true]) {
        const error = await rejectsWith(openStore({ dir, readonly }), 'STORE_CORRUPT');
        assert.ok(error.message.includes(file), error.message);
        assert.equal((error as Error & { file?: string }).file, file);
      }
      assert.equal(fingerprint(file), before);
    });
  }

  test('a store whose pages were damaged after creation reports STORE_CORRUPT, not a crash', async () => {
    const dir = freshDir();
    const store = await openStore({ dir });
    for (let i = 0; i < 200; i++) await store.putAttestation(makeRecord(`damage-${i}`));
    await store.close();
    const file = join(dir, 'gatechain.db');
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Keep page 1 (header and schema) intact; overwrite every other page with noise.
    randomBytes(bytes.length - pageSize).copy(bytes, pageSize);
    writeFileSync(file, bytes);
    const before = fingerprint(file);
    let caught: unknown;
    try {
      const damaged = await openStore({ dir, readonly: true });
      try {
        await damaged.findAttestations({});
      } finally {
        await damaged.close();
      }
    } catch (error) {
      caught = error;
    }
    assert.equal((caught as { code?: string })?.code, 'STORE_CORRUPT', String(caught));
    assert.equal(fingerprint(file), before);
  });

  test('an SQLite database that is not a gatechain store is refused and not modified', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const file = join(dir, 'gatechain.db');
    const foreign = new Database(file);
    foreign.exec("create table notes (body text); insert into notes values ('keep me')");
    foreign.close();
    const before = fingerprint(file);
    const error = await rejectsWith(openStore({ dir }), 'STORE_CORRUPT');
    assert.match(error.message, /not a gatechain store/);
    assert.equal(fingerprint(file), before);
  });

  test('paths that cannot hold a store are STORE_OPEN_FAILED', async () => {
    const fileInTheWay = join(root, `plain-file-${++counter}`);
    writeFileSync(fileInTheWay, 'x');
    await rejectsWith(openStore({ dir: fileInTheWay }), 'STORE_OPEN_FAILED');
    const dir = freshDir();
    mkdirSync(join(dir, 'gatechain.db'), { recursive: true });
    await rejectsWith(openStore({ dir }), 'STORE_OPEN_FAILED');
    await rejectsWith(openStore({ dir: '' }), 'STORE_OPEN_FAILED');
  });

  test('a migration that fails rolls back completely and the store stays at its version', async () => {
    const { sqliteDriver } = await import('../../src/store/drivers/sqlite.ts');
    const { migrate } = await import('../../src/store/migrate.ts');
    const { migrations } = await import('../../src/store/migrations/index.ts');
    const dir = freshDir();
    const database = await sqliteDriver.open({ dir, readonly: false });
    try {
      assert.equal(await migrate(database), 1);
      const broken = {
        version: 2,
        name: 'broken',
        async up(db: import('kysely').Kysely<unknown>) {
          await db.schema.createTable('half_done').addColumn('x', 'integer').execute();
          throw new Error('migration step failed');
        },
      };
      await assert.rejects(migrate(database, [...migrations, broken]), /migration step failed/);
      const raw = new Database(join(dir, 'gatechain.db'), { readonly: true });
      try {
        const versions = raw.prepare('select version from gatechain_migrations').all();
        assert.deepEqual(versions, [{ version: 1 }]);
        assert.deepEqual(
          raw.prepare("select count(*) as n from sqlite_master where name = 'half_done'").get(),
          { n: 0 },
        );
      } finally {
        raw.close();
      }
      const fixed = {
        ...broken,
        async up(db: import('kysely').Kysely<unknown>) {
          await db.schema.createTable('half_done').addColumn('x', 'integer').execute();
        },
      };
      assert.equal(await migrate(database, [fixed, ...migrations]), 2);
    } finally {
      await database.close();
    }
  });
});

describe('sqlite concurrency across processes', () => {
  test('several CLI processes inserting into one fresh store lose nothing and never see SQLITE_BUSY', async () => {
    const dir = freshDir();
    const workers = 4;
    const own = 60;
    const shared = 20;
    const script = join(import.meta.dirname, 'fixtures', 'insert-worker.ts');
    const startAt = Date.now() + 1500;
    const runs = await Promise.all(
      Array.from(
        { length: workers },
        (_, worker) =>
          new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
            const child = spawn(
              process.execPath,
              [script, dir, String(worker), String(own), String(shared), String(startAt)],
              {
                stdio: ['ignore', 'pipe', 'pipe'],
              },
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
    const reports = runs.map(
      (run) => JSON.parse(run.stdout) as { ownInserted: number; sharedInserted: string[] },
    );
    for (const report of reports) assert.equal(report.ownInserted, own);
    const sharedIds = reports.flatMap((report) => report.sharedInserted);
    assert.equal(sharedIds.length, shared);
    assert.equal(new Set(sharedIds).size, shared);

    const store = await openStore({ dir, readonly: true });
    assert.equal(await store.countAttestations(), workers * own + shared);
    for (let worker = 0; worker < workers; worker++) {
      assert.ok((await store.countAttestations({ signerKeyId: `worker-${worker}` })) >= own);
    }
    await store.close();
    const raw = new Database(join(dir, 'gatechain.db'), { readonly: true });
    try {
      assert.deepEqual(raw.prepare('select version from gatechain_migrations').all(), [{ version: 1 }]);
      assert.deepEqual(raw.prepare('select count(*) as n from gatechain_envelopes').get(), {
        n: workers * own + shared,
      });
      assert.deepEqual(raw.prepare('pragma integrity_check').all(), [{ integrity_check: 'ok' }]);
    } finally {
      raw.close();
    }
  });
});

describe('start-up cost', () => {
  test('importing the store loads no database package; opening SQLite never loads pg', async () => {
    const script = join(import.meta.dirname, 'fixtures', 'module-trace.ts');
    const output = await new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, [script, freshDir()], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.on('error', fail);
      child.on('close', (code) => (code === 0 ? done(stdout) : fail(new Error(`exit ${code}`))));
    });
    const { afterImport, afterOpen } = JSON.parse(output) as { afterImport: string[]; afterOpen: string[] };
    for (const heavy of ['kysely', 'better-sqlite3', 'pg']) assert.ok(!afterImport.includes(heavy), heavy);
    assert.ok(afterOpen.includes('kysely'));
    assert.ok(afterOpen.includes('better-sqlite3'));
    assert.ok(!afterOpen.includes('pg'));
  });
});
