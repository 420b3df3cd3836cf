import type { StoreDriverName } from '../types.ts';
import type { StoreDriver } from './types.ts';

/**
 * One driver per database, loaded only when used: a SQLite run never loads pg, and nothing loads
 * Kysely until a store is opened.
 */
export const storeDrivers: Record<StoreDriverName, () => Promise<StoreDriver>> = {
  sqlite: async () => (await import('./sqlite.ts')).sqliteDriver,
  postgres: async () => (await import('./postgres.ts')).postgresDriver,
};
