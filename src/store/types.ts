/** An attestation as handed to the store: the bundle bytes plus the fields it is indexed by. */
export interface NewAttestation {
  /** The exact bundle bytes as received or produced (UTF-8 JSON); returned byte for byte. */
  bundleJson: string;
  /** sha256 hex of the canonical bundle (computed by the caller): the attestation's id. */
  bundleDigest: string;
  subjects: { name?: string; digest: Record<string, string> }[];
  predicateType: string;
  signerKeyId: string;
  /** Gate 1..5 when known. */
  gate?: number;
  /** RFC 3339; defaults to now. Stored normalised to UTC with millisecond precision. */
  createdAt?: string;
  /** Where the attestation came from, e.g. 'attest', 'import', 'gate:deps'. */
  source?: string;
}

export interface StoredAttestation extends NewAttestation {
  id: string;
  createdAt: string;
}

export interface AttestationQuery {
  /** 'sha256:<hex>', 'gitCommit:<hex>', … (algorithm:lowercase-hex). */
  subjectDigest?: string;
  predicateType?: string;
  signerKeyId?: string;
  gate?: number;
  /** RFC 3339: only attestations created at or after this instant. */
  since?: string;
  limit?: number;
  offset?: number;
}

export type StoreDriverName = 'sqlite' | 'postgres';

export interface Store {
  readonly driver: StoreDriverName;
  /** Idempotent by bundleDigest: a second put of the same digest stores nothing and says so. */
  putAttestation(record: NewAttestation): Promise<{ id: string; inserted: boolean }>;
  /** A full id or a unique prefix of at least 8 hex digits; an ambiguous prefix is STORE_AMBIGUOUS_ID. */
  getAttestation(idOrPrefix: string): Promise<StoredAttestation | undefined>;
  /** Newest first (created_at, then id, descending). */
  findAttestations(query: AttestationQuery): Promise<StoredAttestation[]>;
  /** Matches of the query's filters; limit and offset are validated but do not apply. */
  countAttestations(query?: AttestationQuery): Promise<number>;
  putMeta(key: string, value: string): Promise<void>;
  getMeta(key: string): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Directory of the embedded SQLite store (`<dir>/gatechain.db`). */
  dir?: string;
  /** `postgres://…` or `postgresql://…`; an optional `schema=<name>` query parameter selects a schema. */
  url?: string;
  /** Open without writing: no migrations, every write is STORE_READONLY. */
  readonly?: boolean;
}
