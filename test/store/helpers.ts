import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isStoreError,
  type NewAttestation,
  openStore,
  type Store,
  type StoreErrorCode,
} from '../../src/store/index.ts';

export const PG_URL = process.env['GATECHAIN_TEST_PG_URL'];

/** One store location per test, on either database, with raw access for fault injection. */
export interface Harness {
  location: string;
  options: { dir: string } | { url: string };
  open(readonly?: boolean): Promise<Store>;
  /** Runs raw SQL against the store's database (in its schema for PostgreSQL). */
  exec(text: string): Promise<void>;
  rows(text: string): Promise<Record<string, unknown>[]>;
  /** Makes every insert of a subject with this hex fail inside the database. */
  failSubjectInserts(hex: string): Promise<void>;
  cleanup(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  skip: string | false;
  create(): Promise<Harness>;
}

async function sqliteHarness(): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'gatechain-store-'));
  const dir = join(root, 'store');
  const { default: Database } = await import('better-sqlite3');
  const withRaw = <T>(fn: (db: InstanceType<typeof Database>) => T): T => {
    const db = new Database(join(dir, 'gatechain.db'), { timeout: 15_000 });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    location: dir,
    options: { dir },
    open: (readonly = false) => openStore({ dir, readonly }),
    exec: async (text) => withRaw((db) => void db.exec(text)),
    rows: async (text) => withRaw((db) => db.prepare(text).all() as Record<string, unknown>[]),
    failSubjectInserts: async (hex) =>
      withRaw(
        (db) =>
          void db.exec(`create trigger fail_subject before insert on gatechain_subjects
            when new.hex = '${hex}' begin select raise(abort, 'injected failure'); end`),
      ),
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
}

let schemaCounter = 0;

async function postgresHarness(): Promise<Harness> {
  const schema = `gc_test_${process.pid}_${++schemaCounter}_${randomBytes(3).toString('hex')}`;
  const base = PG_URL as string;
  const url = `${base}${base.includes('?') ? '&' : '?'}schema=${schema}`;
  const { default: pg } = await import('pg');
  const withRaw = async <T>(fn: (client: InstanceType<typeof pg.Client>) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(`set search_path to ${schema}`);
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return {
    location: url,
    options: { url },
    open: (readonly = false) => openStore({ url, readonly }),
    exec: (text) => withRaw(async (client) => void (await client.query(text))),
    rows: (text) => withRaw(async (client) => (await client.query(text)).rows as Record<string, unknown>[]),
    failSubjectInserts: (hex) =>
      withRaw(async (client) => {
        await client.query(`create function fail_subject() returns trigger language plpgsql as $$
          begin if new.hex = '${hex}' then raise exception 'injected failure'; end if; return new; end $$`);
        await client.query(`create trigger fail_subject before insert on gatechain_subjects
          for each row execute function fail_subject()`);
      }),
    cleanup: () =>
      withRaw(async (client) => void (await client.query(`drop schema if exists ${schema} cascade`))),
  };
}

export const backends: Backend[] = [
  { name: 'sqlite', skip: false, create: sqliteHarness },
  { name: 'postgres', skip: PG_URL ? false : 'GATECHAIN_TEST_PG_URL not set', create: postgresHarness },
];

/** Creates a harness, runs the body, and always removes the store afterwards. */
export async function withHarness(
  backend: Backend,
  body: (harness: Harness) => Promise<void>,
): Promise<void> {
  const harness = await backend.create();
  try {
    await body(harness);
  } finally {
    await harness.cleanup();
  }
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A plausible record; the bundle text carries `seed` so every record has its own digest. */
export function makeRecord(seed: string, overrides: Partial<NewAttestation> = {}): NewAttestation {
  const bundleJson = JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', seed });
  return {
    bundleJson,
    bundleDigest: sha256Hex(bundleJson),
    subjects: [{ name: `artifact-${seed}`, digest: { sha256: sha256Hex(`subject-${seed}`) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    signerKeyId: 'key-ci',
    ...overrides,
  };
}

export async function rejectsWith(promise: Promise<unknown>, code: StoreErrorCode): Promise<Error> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `expected ${code}, but the call succeeded`);
  assert.ok(isStoreError(caught), `expected a StoreError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}
