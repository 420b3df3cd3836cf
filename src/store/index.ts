import { StoreError } from './errors.ts';
import type { OpenStoreOptions, Store } from './types.ts';

export { isStoreError, StoreError, type StoreErrorCode } from './errors.ts';
export type {
  AttestationQuery,
  NewAttestation,
  OpenStoreOptions,
  Store,
  StoreDriverName,
  StoredAttestation,
} from './types.ts';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/**
 * `--store` / GATECHAIN_STORE → open options: a `postgres://` or `postgresql://` URL selects
 * PostgreSQL, anything else is a directory for the embedded SQLite store.
 */
export function storeOptionsFrom(location: string): { dir: string } | { url: string } {
  return isStoreUrl(location) ? { url: location } : { dir: location };
}

/** Whether a store location is a PostgreSQL URL (scheme case-insensitive) rather than a directory. */
export function isStoreUrl(location: string): boolean {
  return POSTGRES_URL.test(location);
}

/**
 * Opens (creating and migrating when writable) the store at `dir` (SQLite) or `url` (PostgreSQL).
 * Drivers, Kysely and the database client are imported here, on first use, to keep CLI start-up
 * cheap for commands that never touch the store.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const { dir, url } = options ?? {};
  if ((dir === undefined) === (url === undefined)) {
    throw new StoreError('STORE_URL_INVALID', 'give exactly one of a store directory or a postgres:// URL');
  }
  if (url !== undefined && (typeof url !== 'string' || !POSTGRES_URL.test(url))) {
    throw new StoreError('STORE_URL_INVALID', 'a store URL must start with postgres:// or postgresql://');
  }
  const readonly = options.readonly === true;
  const [{ storeDrivers }, { migrate, checkVersion }, { KyselyStore }] = await Promise.all([
    import('./drivers/index.ts'),
    import('./migrate.ts'),
    import('./repository.ts'),
  ]);
  const driver = await storeDrivers[url === undefined ? 'sqlite' : 'postgres']();
  const database = await driver.open({ dir, url, readonly });
  try {
    if (readonly) await checkVersion(database);
    else await migrate(database);
  } catch (error) {
    await database.close().catch(() => {});
    throw database.translateError(error);
  }
  return new KyselyStore(database);
}
