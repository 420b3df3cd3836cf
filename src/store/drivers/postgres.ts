import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { isGatechainError } from '../../util/errors.ts';
import { StoreError } from '../errors.ts';
import type { StoreSchema } from '../schema.ts';
import type { DriverOpenOptions, OpenedDatabase, StoreDriver } from './types.ts';

const POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 10_000;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Advisory-lock class id shared by every gatechain store ("gate" in ASCII). */
const LOCK_CLASS = 0x67617465;

interface ParsedUrl {
  connectionString: string;
  schema: string;
  /** The URL with its password and query removed: safe for messages and logs. */
  display: string;
}

/** Parses the URL and takes out gatechain's own `schema` parameter; never echoes a password. */
export function parsePostgresUrl(url: string): ParsedUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError('STORE_URL_INVALID', 'the PostgreSQL store URL is not a valid URL');
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError(
      'STORE_URL_INVALID',
      `schema ${JSON.stringify(schema.slice(0, 80))} must be a lowercase SQL identifier (a-z, 0-9, _)`,
    );
  }
  parsed.searchParams.delete('schema');
  const display = `${parsed.protocol}//${parsed.username ? `${parsed.username}@` : ''}${parsed.host}${parsed.pathname}${schema === 'public' ? '' : ` (schema ${schema})`}`;
  return { connectionString: parsed.toString(), schema, display };
}

function lockKey(schema: string): number {
  return createHash('sha256').update(schema).digest().readInt32BE(0);
}

const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/** SQLSTATE classes (and socket errors) → the store's codes. Messages never include the URL. */
export function translatePostgresError(error: unknown, display: string): StoreError {
  if (error instanceof StoreError) return error;
  if (isGatechainError(error)) return new StoreError('STORE_IO', error.message, {}, { cause: error });
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  const fail = (storeCode: StoreError['code'], message: string) =>
    new StoreError(storeCode, message, {}, { cause: error });
  if (typeof code === 'string') {
    if (UNAVAILABLE_ERRNO.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03') {
      return fail('STORE_UNAVAILABLE', `cannot reach PostgreSQL at ${display}: ${detail}`);
    }
    if (code.startsWith('28'))
      return fail('STORE_UNAVAILABLE', `PostgreSQL at ${display} refused the login: ${detail}`);
    if (code === '3D000') return fail('STORE_NOT_FOUND', `PostgreSQL database at ${display} does not exist`);
    if (code === '25006') return fail('STORE_READONLY', `store is read-only: ${detail}`);
    if (code === '40001' || code === '40P01' || code === '55P03')
      return fail('STORE_BUSY', `store is busy: ${detail}`);
    if (code.startsWith('22') || code.startsWith('23')) {
      return fail('STORE_INPUT_INVALID', `the store refused the data: ${detail}`);
    }
    if (code === 'XX001' || code === 'XX002')
      return fail('STORE_CORRUPT', `PostgreSQL reports corruption: ${detail}`);
  }
  if (/timeout/i.test(detail))
    return fail('STORE_UNAVAILABLE', `PostgreSQL at ${display} timed out: ${detail}`);
  if (/ended|terminated|not queryable|closed/i.test(detail)) {
    return fail('STORE_UNAVAILABLE', `connection to PostgreSQL at ${display} was lost: ${detail}`);
  }
  return fail('STORE_IO', `PostgreSQL operation failed: ${detail}`);
}

async function open(options: DriverOpenOptions): Promise<OpenedDatabase> {
  const { connectionString, schema, display } = parsePostgresUrl(options.url ?? '');
  const { default: pg } = await import('pg');
  const settings = [`-c search_path=${schema}`];
  if (options.readonly) settings.push('-c default_transaction_read_only=on');
  const pool = new pg.Pool({
    connectionString,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    options: settings.join(' '),
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, that would kill
  // the process. The next query reports the failure instead.
  pool.on('error', () => {});
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw translatePostgresError(error, display);
  }
  const key = lockKey(schema);
  return {
    name: 'postgres',
    db,
    readonly: options.readonly,
    location: display,
    withMigrationLock: (fn) =>
      db.transaction().execute(async (trx) => {
        // Transaction-scoped, so it is released by COMMIT or ROLLBACK whatever happens.
        await sql`select pg_advisory_xact_lock(${LOCK_CLASS}::int4, ${key}::int4)`.execute(trx);
        await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
        return fn(trx);
      }),
    async hasMigrationsTable(handle) {
      const { rows } = await sql<{
        found: string | null;
      }>`select to_regclass(${`${schema}.gatechain_migrations`}) as found`.execute(handle);
      return rows[0]?.found !== null && rows[0]?.found !== undefined;
    },
    async assertNotForeign() {
      // A PostgreSQL database is commonly shared; the gatechain_ prefix and the schema keep apart.
    },
    translateError: (error) => translatePostgresError(error, display),
    close: () => db.destroy(),
  };
}

export const postgresDriver: StoreDriver = { open };
