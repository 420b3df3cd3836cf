import type { Kysely, Transaction } from 'kysely';
import type { StoreError } from '../errors.ts';
import type { StoreSchema } from '../schema.ts';
import type { StoreDriverName } from '../types.ts';

/**
 * What a database driver gives the shared repository: a Kysely instance plus the few things that
 * differ per database (locking for migrations, catalog look-ups, error translation).
 */
export interface OpenedDatabase {
  readonly name: StoreDriverName;
  readonly db: Kysely<StoreSchema>;
  readonly readonly: boolean;
  /** Where the store lives, safe to print: a file path or a URL without its password. */
  readonly location: string;
  /** Runs `fn` in a write transaction holding the store-wide migration lock. */
  withMigrationLock<T>(fn: (trx: Transaction<StoreSchema>) => Promise<T>): Promise<T>;
  hasMigrationsTable(db: Kysely<StoreSchema>): Promise<boolean>;
  /** Called when there is no migrations table: refuse a database that already holds other data. */
  assertNotForeign(db: Kysely<StoreSchema>): Promise<void>;
  /** Any error from the database layer → a typed StoreError (already-typed errors pass through). */
  translateError(error: unknown): StoreError;
  close(): Promise<void>;
}

export interface DriverOpenOptions {
  dir?: string;
  url?: string;
  readonly: boolean;
}

export interface StoreDriver {
  open(options: DriverOpenOptions): Promise<OpenedDatabase>;
}
