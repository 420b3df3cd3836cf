import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { StoreDriverName } from '../types.ts';
import type { Migration } from './types.ts';

/**
 * Hex ids are compared by range for prefix lookups; PostgreSQL's default collation is the
 * database locale's, so hex columns are pinned to the byte-order "C" collation there.
 */
function byteOrder(dialect: StoreDriverName): (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return (col) => (dialect === 'postgres' ? col.modifyEnd(sql`collate "C"`) : col);
}

async function up(db: Kysely<unknown>, dialect: StoreDriverName): Promise<void> {
  const hex = byteOrder(dialect);
  const binary = dialect === 'postgres' ? sql`bytea` : sql`blob`;

  await db.schema
    .createTable('gatechain_envelopes')
    .addColumn('digest', 'text', (col) => hex(col).primaryKey())
    .addColumn('bytes', binary, (col) => col.notNull())
    .addColumn('size', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('gatechain_attestations')
    .addColumn('id', 'text', (col) => hex(col).primaryKey())
    .addColumn('envelope_digest', 'text', (col) =>
      hex(col).notNull().references('gatechain_envelopes.digest').onDelete('restrict'),
    )
    .addColumn('predicate_type', 'text', (col) => col.notNull())
    .addColumn('signer_key_id', 'text', (col) => col.notNull())
    .addColumn('gate', 'integer')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('source', 'text')
    .addColumn('subjects_json', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('gatechain_subjects')
    .addColumn('attestation_id', 'text', (col) =>
      hex(col).notNull().references('gatechain_attestations.id').onDelete('cascade'),
    )
    .addColumn('algorithm', 'text', (col) => col.notNull())
    .addColumn('hex', 'text', (col) => hex(col).notNull())
    .addPrimaryKeyConstraint('gatechain_subjects_pk', ['attestation_id', 'algorithm', 'hex'])
    .execute();

  await db.schema
    .createTable('gatechain_meta')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute();

  // Every filter is followed by "newest first", so each index ends in created_at.
  const indexes: [string, string, string[]][] = [
    ['gatechain_subjects_digest', 'gatechain_subjects', ['algorithm', 'hex']],
    ['gatechain_attestations_predicate_type', 'gatechain_attestations', ['predicate_type', 'created_at']],
    ['gatechain_attestations_signer', 'gatechain_attestations', ['signer_key_id', 'created_at']],
    ['gatechain_attestations_gate', 'gatechain_attestations', ['gate', 'created_at']],
    ['gatechain_attestations_created_at', 'gatechain_attestations', ['created_at', 'id']],
  ];
  for (const [name, table, columns] of indexes) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
}

export const initialSchema: Migration = { version: 1, name: 'initial-schema', up };
