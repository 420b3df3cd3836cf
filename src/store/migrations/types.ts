import type { Kysely } from 'kysely';
import type { StoreDriverName } from '../types.ts';

/**
 * One schema change. `up` runs inside the transaction that records the version, so a store is
 * never left half-migrated. Migrations are frozen once released: change the schema by adding one.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<unknown>, dialect: StoreDriverName): Promise<void>;
}
