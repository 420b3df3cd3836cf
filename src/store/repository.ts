import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely';
import type { OpenedDatabase } from './drivers/types.ts';
import { StoreError } from './errors.ts';
import type { StoreSchema } from './schema.ts';
import type { AttestationQuery, NewAttestation, Store, StoredAttestation } from './types.ts';
import {
  checkMetaKey,
  checkMetaValue,
  type NormalizedQuery,
  normalizeAttestation,
  normalizeIdPrefix,
  normalizeQuery,
} from './validate.ts';

/** Rows per multi-row INSERT: well inside SQLite's and PostgreSQL's bound-parameter limits. */
const SUBJECT_CHUNK = 500;
/** With an offset but no limit: SQL needs some LIMIT, and this one never binds. */
const NO_LIMIT = 2 ** 31 - 1;

interface AttestationRow {
  id: string;
  bytes: Buffer | Uint8Array;
  subjects_json: string;
  predicate_type: string;
  signer_key_id: string;
  gate: number | null;
  created_at: string;
  source: string | null;
}

function parseSubjects(row: AttestationRow): StoredAttestation['subjects'] {
  try {
    return JSON.parse(row.subjects_json) as StoredAttestation['subjects'];
  } catch (error) {
    // Only a damaged or hand-edited database gets here: the store writes this column itself.
    throw new StoreError(
      'STORE_CORRUPT',
      `attestation ${row.id} has an unreadable subject list`,
      {},
      { cause: error },
    );
  }
}

function toStored(row: AttestationRow): StoredAttestation {
  const stored: StoredAttestation = {
    id: row.id,
    bundleDigest: row.id,
    bundleJson: Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength).toString('utf8'),
    subjects: parseSubjects(row),
    predicateType: row.predicate_type,
    signerKeyId: row.signer_key_id,
    createdAt: row.created_at,
  };
  if (row.gate !== null) stored.gate = Number(row.gate);
  if (row.source !== null) stored.source = row.source;
  return stored;
}

/** The query's filters as one WHERE expression over the attestations table. */
function matches(eb: ExpressionBuilder<StoreSchema, 'gatechain_attestations'>, filter: NormalizedQuery) {
  const conditions: Expression<SqlBool>[] = [];
  const subject = filter.subject;
  if (subject !== undefined) {
    conditions.push(
      eb(
        'gatechain_attestations.id',
        'in',
        eb
          .selectFrom('gatechain_subjects')
          .select('gatechain_subjects.attestation_id')
          .where('gatechain_subjects.algorithm', '=', subject.algorithm)
          .where('gatechain_subjects.hex', '=', subject.hex),
      ),
    );
  }
  if (filter.predicateType !== undefined) {
    conditions.push(eb('gatechain_attestations.predicate_type', '=', filter.predicateType));
  }
  if (filter.signerKeyId !== undefined) {
    conditions.push(eb('gatechain_attestations.signer_key_id', '=', filter.signerKeyId));
  }
  if (filter.gate !== undefined) conditions.push(eb('gatechain_attestations.gate', '=', filter.gate));
  if (filter.since !== undefined)
    conditions.push(eb('gatechain_attestations.created_at', '>=', filter.since));
  return eb.and(conditions);
}

type AttestationSelect = SelectQueryBuilder<
  StoreSchema,
  'gatechain_attestations' | 'gatechain_envelopes',
  AttestationRow
>;

/**
 * The one repository behind both databases: every statement is built with Kysely, so SQLite and
 * PostgreSQL run the same code and differ only in their driver (see drivers/).
 */
export class KyselyStore implements Store {
  readonly driver: Store['driver'];
  readonly #database: OpenedDatabase;
  readonly #db: Kysely<StoreSchema>;
  #closed = false;

  constructor(database: OpenedDatabase) {
    this.#database = database;
    this.#db = database.db;
    this.driver = database.name;
  }

  /** Every public operation runs through here: typed errors out, nothing else. */
  async #run<T>(operation: () => Promise<T>, writes = false): Promise<T> {
    if (this.#closed) throw new StoreError('STORE_CLOSED', 'the store is closed');
    if (writes && this.#database.readonly) {
      throw new StoreError('STORE_READONLY', `store ${this.#database.location} was opened read-only`);
    }
    try {
      return await operation();
    } catch (error) {
      throw this.#database.translateError(error);
    }
  }

  putAttestation(record: NewAttestation): Promise<{ id: string; inserted: boolean }> {
    return this.#run(async () => {
      const row = normalizeAttestation(record);
      return this.#db.transaction().execute(async (trx) => {
        // The envelope is content-addressed and written once: the first bytes stored for a
        // digest are kept, whatever later callers send.
        await trx
          .insertInto('gatechain_envelopes')
          .values({ digest: row.id, bytes: row.bytes, size: row.bytes.length, created_at: row.createdAt })
          .onConflict((oc) => oc.column('digest').doNothing())
          .execute();
        const inserted = await trx
          .insertInto('gatechain_attestations')
          .values({
            id: row.id,
            envelope_digest: row.id,
            predicate_type: row.predicateType,
            signer_key_id: row.signerKeyId,
            gate: row.gate,
            created_at: row.createdAt,
            source: row.source,
            subjects_json: row.subjectsJson,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted === undefined) return { id: row.id, inserted: false };
        for (let start = 0; start < row.subjectRows.length; start += SUBJECT_CHUNK) {
          const chunk = row.subjectRows.slice(start, start + SUBJECT_CHUNK);
          await trx
            .insertInto('gatechain_subjects')
            .values(chunk.map((subject) => ({ attestation_id: row.id, ...subject })))
            .execute();
        }
        return { id: row.id, inserted: true };
      });
    }, true);
  }

  #selectAttestations(): AttestationSelect {
    return this.#db
      .selectFrom('gatechain_attestations')
      .innerJoin(
        'gatechain_envelopes',
        'gatechain_envelopes.digest',
        'gatechain_attestations.envelope_digest',
      )
      .select([
        'gatechain_attestations.id',
        'gatechain_envelopes.bytes',
        'gatechain_attestations.subjects_json',
        'gatechain_attestations.predicate_type',
        'gatechain_attestations.signer_key_id',
        'gatechain_attestations.gate',
        'gatechain_attestations.created_at',
        'gatechain_attestations.source',
      ]);
  }

  getAttestation(idOrPrefix: string): Promise<StoredAttestation | undefined> {
    return this.#run(async () => {
      const prefix = normalizeIdPrefix(idOrPrefix);
      let query = this.#selectAttestations();
      if (prefix.length === 64) {
        query = query.where('gatechain_attestations.id', '=', prefix);
      } else {
        // Hex sorts below 'g', so [prefix, prefix + 'g') is exactly the ids starting with prefix,
        // and the primary-key index answers it as a range scan.
        query = query
          .where('gatechain_attestations.id', '>=', prefix)
          .where('gatechain_attestations.id', '<', `${prefix}g`)
          .orderBy('gatechain_attestations.id')
          .limit(2);
      }
      const rows = (await query.execute()).filter((row) => row.id.startsWith(prefix));
      if (rows.length > 1) {
        throw new StoreError(
          'STORE_AMBIGUOUS_ID',
          `id prefix ${prefix} matches more than one attestation (${rows.map((row) => row.id.slice(0, 16)).join(', ')}, …); give more digits`,
        );
      }
      return rows[0] === undefined ? undefined : toStored(rows[0]);
    });
  }

  findAttestations(query: AttestationQuery): Promise<StoredAttestation[]> {
    return this.#run(async () => {
      const filter = normalizeQuery(query);
      let select = this.#selectAttestations()
        .where((eb) => matches(eb, filter))
        .orderBy('gatechain_attestations.created_at', 'desc')
        .orderBy('gatechain_attestations.id', 'desc');
      if (filter.limit !== undefined || filter.offset !== undefined)
        select = select.limit(filter.limit ?? NO_LIMIT);
      if (filter.offset !== undefined) select = select.offset(filter.offset);
      return (await select.execute()).map(toStored);
    });
  }

  countAttestations(query?: AttestationQuery): Promise<number> {
    return this.#run(async () => {
      const filter = normalizeQuery(query);
      const row = await this.#db
        .selectFrom('gatechain_attestations')
        .where((eb) => matches(eb, filter))
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    });
  }

  putMeta(key: string, value: string): Promise<void> {
    return this.#run(async () => {
      const row = { key: checkMetaKey(key), value: checkMetaValue(value) };
      await this.#db
        .insertInto('gatechain_meta')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value }))
        .execute();
    }, true);
  }

  getMeta(key: string): Promise<string | undefined> {
    return this.#run(async () => {
      const row = await this.#db
        .selectFrom('gatechain_meta')
        .select('value')
        .where('key', '=', checkMetaKey(key, true))
        .executeTakeFirst();
      return row?.value;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#database.close();
    } catch (error) {
      throw this.#database.translateError(error);
    }
  }
}
