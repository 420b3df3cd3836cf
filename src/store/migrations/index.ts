import { initialSchema } from './0001-initial.ts';
import type { Migration } from './types.ts';

export type { Migration } from './types.ts';

/** Every migration, in version order. Append only: released versions never change. */
export const migrations: readonly Migration[] = [initialSchema];

export const LATEST_VERSION = migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
