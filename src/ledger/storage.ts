import type { NodeCoord } from './merkle.ts';

/**
 * The ledger's storage driver. The store keeps entries, the hash of every perfect subtree (so a
 * proof is O(log n) point lookups and a tile is one range read) and every signed checkpoint.
 * Tiles and bundles are derived on read. Methods are async so a networked driver (PostgreSQL)
 * fits the same interface; the SQLite driver answers synchronously inside.
 */
export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  /** The note as signed by the log alone. */
  note: string;
  /** The note as published (with witness cosignatures), or null while the quorum is pending. */
  published: string | null;
}

export interface CommitBatch {
  /** Index of the first entry; must equal the stored tree size (guards against a second writer). */
  firstIndex: number;
  entries: { data: Buffer; lookupKey: string | undefined }[];
  nodes: { coord: NodeCoord; hash: Buffer }[];
  checkpoint: StoredCheckpoint;
}

export interface LedgerStorage {
  readonly kind: string;
  treeSize(): Promise<number>;
  /** Hashes of the given perfect subtrees; throws LEDGER_STORE_CORRUPT if one is missing. */
  nodes(coords: readonly NodeCoord[]): Promise<Buffer[]>;
  /** Hashes of consecutive perfect subtrees of one height: a tile's contents. */
  nodeRange(height: number, start: number, count: number): Promise<Buffer[]>;
  /** A full (256-hash) tile at a tile level, if stored as one piece; callers fall back to nodeRange. */
  fullTile(level: number, index: number): Promise<Buffer | undefined>;
  entries(start: number, count: number): Promise<Buffer[]>;
  findIndex(lookupKey: string): Promise<number | undefined>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  latestPublished(): Promise<StoredCheckpoint | undefined>;
  checkpointAt(size: number): Promise<StoredCheckpoint | undefined>;
  /**
   * Atomically and durably stores a batch with its signed checkpoint. Refuses (LEDGER_CHECKPOINT_CONFLICT)
   * if a checkpoint with that size and a different root exists.
   */
  commitBatch(batch: CommitBatch): Promise<void>;
  setPublished(size: number, note: string): Promise<void>;
  /** Every entry in index order, in chunks (start-up verification). */
  scanEntries(chunk: number): AsyncIterable<Buffer[]>;
  acquireWriterLock(): Promise<void>;
  releaseWriterLock(): Promise<void>;
  witnessSize(url: string): Promise<number>;
  setWitnessSize(url: string, size: number): Promise<void>;
  close(): Promise<void>;
}
