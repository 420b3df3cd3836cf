import type { Kysely } from 'kysely';
import type { OpenedDatabase } from './drivers/types.ts';
import { StoreError } from './errors.ts';
import { LATEST_VERSION, type Migration, migrations } from './migrations/index.ts';
import type { StoreSchema } from './schema.ts';

async function appliedVersion(db: Kysely<StoreSchema>): Promise<number> {
  const row = await db
    .selectFrom('gatechain_migrations')
    .select((eb) => eb.fn.max('version').as('version'))
    .executeTakeFirst();
  return row?.version === null || row?.version === undefined ? 0 : Number(row.version);
}

function tooNew(database: OpenedDatabase, version: number, latest: number): StoreError {
  return new StoreError(
    'STORE_VERSION_TOO_NEW',
    `store ${database.location} has schema version ${version}, newer than this gatechain supports (${latest}); upgrade gatechain`,
    { file: database.name === 'sqlite' ? database.location : undefined },
  );
}

/**
 * Brings the schema to LATEST_VERSION. The whole check-and-apply runs in one transaction under
 * the driver's store-wide lock, so concurrent openers apply each migration exactly once: the
 * second waits for the lock and then finds nothing left to do.
 */
export async function migrate(
  database: OpenedDatabase,
  pending: readonly Migration[] = migrations,
): Promise<number> {
  const { db } = database;
  const latest = pending.reduce((max, migration) => Math.max(max, migration.version), 0);
  if ((await database.hasMigrationsTable(db)) && (await appliedVersion(db)) === latest) {
    return latest; // the common case: no lock, no write
  }
  return database.withMigrationLock(async (trx) => {
    if (!(await database.hasMigrationsTable(trx))) {
      await database.assertNotForeign(trx);
      await trx.schema
        .createTable('gatechain_migrations')
        .ifNotExists()
        .addColumn('version', 'integer', (col) => col.primaryKey())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('applied_at', 'text', (col) => col.notNull())
        .execute();
    }
    const current = await appliedVersion(trx);
    if (current > latest) throw tooNew(database, current, latest);
    for (const migration of [...pending].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      await migration.up(trx as unknown as Kysely<unknown>, database.name);
      await trx
        .insertInto('gatechain_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
    }
    return appliedVersion(trx);
  });
}

/** For read-only opens: the schema must exist and be exactly the version this code reads. */
export async function checkVersion(database: OpenedDatabase): Promise<void> {
  const { db } = database;
  if (!(await database.hasMigrationsTable(db))) {
    throw new StoreError('STORE_NOT_FOUND', `no gatechain store at ${database.location}`);
  }
  const current = await appliedVersion(db);
  if (current > LATEST_VERSION) throw tooNew(database, current, LATEST_VERSION);
  if (current < LATEST_VERSION) {
    throw new StoreError(
      'STORE_NEEDS_MIGRATION',
      `store ${database.location} has schema version ${current}; open it once without --readonly to upgrade it to ${LATEST_VERSION}`,
    );
  }
}
