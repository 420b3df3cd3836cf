import { closeSync, mkdirSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import { isGatechainError } from '../../util/errors.ts';
import { StoreError } from '../errors.ts';
import type { StoreSchema } from '../schema.ts';
import type { DriverOpenOptions, OpenedDatabase, StoreDriver } from './types.ts';

export const SQLITE_FILE_NAME = 'gatechain.db';

/** How long a writer waits for another process's write transaction before STORE_BUSY. */
export const BUSY_TIMEOUT_MS = 15_000;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');
const STATEMENT_CACHE_SIZE = 128;

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

/**
 * A Kysely connection over one better-sqlite3 handle. Prepared statements are cached by SQL text:
 * Kysely compiles the same few queries over and over, and preparing is most of their cost.
 */
class BetterSqliteConnection implements DatabaseConnection {
  readonly #db: Database;
  readonly #statements = new Map<string, Statement>();

  constructor(db: Database) {
    this.#db = db;
  }

  #prepare(text: string): Statement {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.#db.prepare(text);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next().value as string;
        this.#statements.delete(oldest);
      }
      this.#statements.set(text, statement);
    }
    return statement;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(compiled.sql);
    const parameters = compiled.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), rows: [] };
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statement = this.#db.prepare(compiled.sql);
    for (const row of statement.iterate(compiled.parameters as unknown[])) yield { rows: [row as R] };
  }

  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }
}

/**
 * Write transactions start with BEGIN IMMEDIATE: the write lock is taken up front, waiting up to
 * busy_timeout, instead of upgrading a read lock later — an upgrade that fails with SQLITE_BUSY at
 * once in WAL mode whenever another process committed in between.
 */
class BetterSqliteDriver implements Driver {
  readonly #db: Database;
  readonly #connection: BetterSqliteConnection;

  constructor(db: Database) {
    this.#db = db;
    this.#connection = new BetterSqliteConnection(db);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'begin immediate', parameters: [] } as unknown as CompiledQuery);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'commit', parameters: [] } as unknown as CompiledQuery);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // SQLite may already have rolled back on its own (e.g. SQLITE_FULL); ROLLBACK would then fail
    // and hide the original error.
    if (this.#connection.inTransaction) {
      await connection.executeQuery({ sql: 'rollback', parameters: [] } as unknown as CompiledQuery);
    }
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

class BetterSqliteDialect implements Dialect {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  createDriver(): Driver {
    return new BetterSqliteDriver(this.#db);
  }

  createQueryCompiler(): SqliteQueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): SqliteAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): SqliteIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** SQLite's own error codes → the store's. Everything unknown is STORE_IO, never a bare Error. */
export function translateSqliteError(error: unknown, file: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  const fail = (storeCode: StoreError['code'], message: string) =>
    new StoreError(storeCode, message, { file }, { cause: error });
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      return fail(
        'STORE_BUSY',
        `store is busy: another process held its write lock for over ${BUSY_TIMEOUT_MS / 1000} s (${detail})`,
      );
    }
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
      return fail(
        'STORE_CORRUPT',
        `${file} is not a usable gatechain store (${detail}); it was left untouched`,
      );
    }
    if (code.startsWith('SQLITE_READONLY')) return fail('STORE_READONLY', `store is read-only: ${detail}`);
    if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
      return fail('STORE_OPEN_FAILED', `cannot open ${file}: ${detail}`);
    }
    if (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH') {
      return fail('STORE_INPUT_INVALID', `the store refused the data: ${detail}`);
    }
    return fail('STORE_IO', `store I/O failed: ${detail}`);
  }
  if (error instanceof TypeError && /not open/.test(detail))
    return fail('STORE_CLOSED', 'the store is closed');
  return fail('STORE_IO', `store operation failed: ${detail}`);
}

/** Reads the first 16 bytes without opening the file for writing; SQLite would refuse later anyway. */
function assertSqliteHeader(file: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const header = Buffer.alloc(SQLITE_MAGIC.length);
    const read = readSync(fd, header, 0, header.length, 0);
    // An empty file is an empty database; a shorter or different header is something else.
    if (read > 0 && (read < header.length || !header.equals(SQLITE_MAGIC))) {
      throw new StoreError(
        'STORE_CORRUPT',
        `${file} is not an SQLite database; gatechain will not touch it (move it away or choose another --store)`,
        { file },
      );
    }
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      'STORE_OPEN_FAILED',
      `cannot read ${file}: ${(error as Error).message}`,
      { file },
      { cause: error },
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function prepareDirectory(dir: string, file: string, readonly: boolean): boolean {
  if (!readonly) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new StoreError(
        'STORE_OPEN_FAILED',
        `cannot create store directory ${dir}: ${(error as Error).message}`,
        { file: dir },
        { cause: error },
      );
    }
  }
  let exists = false;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) {
      throw new StoreError('STORE_OPEN_FAILED', `${file} exists but is not a regular file`, { file });
    }
    exists = true;
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new StoreError('STORE_OPEN_FAILED', `cannot access ${file}: ${(error as Error).message}`, {
        file,
      });
    }
  }
  return exists;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * Switching a new database to WAL needs a moment of exclusive access; with several processes
 * opening a fresh store at once that can report SQLITE_BUSY outside the busy handler, so retry.
 */
async function enableWal(db: Database): Promise<void> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw error;
      await sleep(5 + Math.random() * 20);
    }
  }
}

function foreignError(file: string): StoreError {
  return new StoreError(
    'STORE_CORRUPT',
    `${file} is an SQLite database but not a gatechain store; gatechain will not modify it`,
    { file },
  );
}

/** A store is either empty (new) or has the migrations table; anything else belongs to someone else. */
function assertGatechainOrEmpty(sqlite: Database, file: string): void {
  const row = sqlite
    .prepare(
      `select count(*) as objects, sum(name = 'gatechain_migrations') as ours from sqlite_master
       where name not like 'sqlite\\_%' escape '\\'`,
    )
    .get() as { objects: number; ours: number | null };
  if (row.objects > 0 && !row.ours) throw foreignError(file);
}

async function connect(file: string, readonly: boolean): Promise<Kysely<StoreSchema>> {
  const { default: Database } = await import('better-sqlite3');
  let sqlite: Database;
  try {
    sqlite = new Database(file, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw translateSqliteError(error, file);
  }
  try {
    // Reads page 1 first: a damaged file fails here, and a foreign database is refused before
    // the WAL switch below would rewrite its header.
    assertGatechainOrEmpty(sqlite, file);
    if (readonly) {
      sqlite.pragma('query_only = ON');
    } else {
      await enableWal(sqlite);
      // NORMAL in WAL mode: a process crash loses nothing; a power cut or OS crash may lose the
      // last commits since the previous checkpoint, but never corrupts the store.
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
    }
  } catch (error) {
    sqlite.close();
    throw translateSqliteError(error, file);
  }
  return new Kysely<StoreSchema>({ dialect: new BetterSqliteDialect(sqlite) });
}

interface SharedConnection {
  db: Promise<Kysely<StoreSchema>>;
  refs: number;
}

/**
 * One connection per file and mode per process. SQLite's busy handler sleeps synchronously, so
 * two connections of one process would deadlock: the second blocks the thread while the first
 * waits, mid-transaction, for the event loop. Stores opened on the same file in one process
 * therefore share one connection, whose queries Kysely serialises; processes coordinate through
 * SQLite's file locks.
 */
const sharedConnections = new Map<string, SharedConnection>();

async function acquire(
  file: string,
  readonly: boolean,
): Promise<{ db: Kysely<StoreSchema>; release(): Promise<void> }> {
  const key = `${readonly ? 'ro' : 'rw'}:${file}`;
  let shared = sharedConnections.get(key);
  if (shared === undefined) {
    const created: SharedConnection = { db: connect(file, readonly), refs: 0 };
    sharedConnections.set(key, created);
    created.db.catch(() => {
      if (sharedConnections.get(key) === created) sharedConnections.delete(key);
    });
    shared = created;
  }
  const entry = shared;
  entry.refs++;
  let db: Kysely<StoreSchema>;
  try {
    db = await entry.db;
  } catch (error) {
    entry.refs--;
    throw error;
  }
  let released = false;
  return {
    db,
    async release() {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs === 0) {
        if (sharedConnections.get(key) === entry) sharedConnections.delete(key);
        await db.destroy();
      }
    },
  };
}

function canonicalPath(dir: string): string {
  try {
    return resolve(realpathSync(dir), SQLITE_FILE_NAME);
  } catch {
    return resolve(dir, SQLITE_FILE_NAME);
  }
}

async function open(options: DriverOpenOptions): Promise<OpenedDatabase> {
  const { dir, readonly } = options;
  if (typeof dir !== 'string' || dir.length === 0 || dir.includes('\u0000')) {
    throw new StoreError('STORE_OPEN_FAILED', 'store directory must be a non-empty path');
  }
  const exists = prepareDirectory(dir, resolve(dir, SQLITE_FILE_NAME), readonly);
  const file = canonicalPath(dir);
  if (exists) assertSqliteHeader(file);
  else if (readonly) throw new StoreError('STORE_NOT_FOUND', `no gatechain store at ${file}`, { file });

  const { db, release } = await acquire(file, readonly);
  return {
    name: 'sqlite',
    db,
    readonly,
    location: file,
    withMigrationLock: (fn) => db.transaction().execute(fn),
    async hasMigrationsTable(handle) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from sqlite_master
        where type = 'table' and name = 'gatechain_migrations'`.execute(handle);
      return Number(rows[0]?.n ?? 0) > 0;
    },
    async assertNotForeign(handle) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from sqlite_master
        where name not like 'sqlite\\_%' escape '\\'`.execute(handle);
      if (Number(rows[0]?.n ?? 0) > 0) throw foreignError(file);
    },
    translateError: (error) =>
      isGatechainError(error) && !(error instanceof StoreError)
        ? new StoreError('STORE_IO', error.message, { file }, { cause: error })
        : translateSqliteError(error, file),
    close: release,
  };
}

export const sqliteDriver: StoreDriver = { open };
