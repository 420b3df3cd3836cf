/** Row shapes of the current schema, as Kysely sees them (see migrations/ for how they came to be). */
export interface EnvelopeTable {
  /** sha256 hex of the canonical bundle: the content address. */
  digest: string;
  bytes: Buffer;
  size: number;
  created_at: string;
}

export interface AttestationTable {
  /** Equal to envelope_digest: an attestation is identified by its bundle. */
  id: string;
  envelope_digest: string;
  predicate_type: string;
  signer_key_id: string;
  gate: number | null;
  created_at: string;
  source: string | null;
  subjects_json: string;
}

export interface SubjectTable {
  attestation_id: string;
  algorithm: string;
  hex: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface MigrationTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface StoreSchema {
  gatechain_envelopes: EnvelopeTable;
  gatechain_attestations: AttestationTable;
  gatechain_subjects: SubjectTable;
  gatechain_meta: MetaTable;
  gatechain_migrations: MigrationTable;
}
