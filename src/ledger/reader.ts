import { GatechainError, InputError } from '../util/errors.ts';
import {
  consistencyRanges,
  hashRanges,
  inclusionRanges,
  type LeafRange,
  type NodeCoord,
  nodesForRanges,
} from './merkle.ts';
import { formatReceipt } from './receipt.ts';
import type { LedgerStorage, StoredCheckpoint } from './storage.ts';
import { encodeEntryBundle, TILE_HEIGHT, TILE_WIDTH, type TileRef, tileWidthAt } from './tiles.ts';

/**
 * Read access to a ledger store: proofs, tiles, bundles and receipts, all derived from the stored
 * perfect-subtree hashes. Used by the writer, the HTTP routes and the read-only CLI commands.
 */
const CACHED_HEIGHT = 4;
const MAX_CACHED_NODES = 1 << 20;

export class LedgerReader {
  protected readonly storage: LedgerStorage;

  constructor(storage: LedgerStorage) {
    this.storage = storage;
  }

  /** Size of the latest signed checkpoint (entries beyond it are not yet part of the log). */
  async size(): Promise<number> {
    return (await this.storage.latestCheckpoint())?.size ?? 0;
  }

  async latestPublished(): Promise<StoredCheckpoint | undefined> {
    return this.storage.latestPublished();
  }

  /**
   * Perfect-subtree hashes never change once written, so the upper ones (height ≥ 4, one in 16 of
   * all nodes) are kept in memory: a proof then reads only its few lowest nodes from the store.
   */
  private readonly upperNodes = new Map<number, Buffer>();

  protected async resolveRanges(ranges: LeafRange[]): Promise<Buffer[]> {
    const coords = nodesForRanges(ranges);
    const key = (coord: NodeCoord) => coord.height * 2 ** 40 + coord.index;
    const missing = coords.filter(
      (coord) => coord.height < CACHED_HEIGHT || !this.upperNodes.has(key(coord)),
    );
    const fetched = new Map<number, Buffer>();
    if (missing.length > 0) {
      const hashes = await this.storage.nodes(missing);
      missing.forEach((coord, i) => {
        const hash = hashes[i] as Buffer;
        fetched.set(key(coord), hash);
        if (coord.height >= CACHED_HEIGHT) {
          if (this.upperNodes.size >= MAX_CACHED_NODES) this.upperNodes.clear();
          this.upperNodes.set(key(coord), hash);
        }
      });
    }
    return hashRanges(
      ranges,
      (coord: NodeCoord) => (fetched.get(key(coord)) ?? this.upperNodes.get(key(coord))) as Buffer,
    );
  }

  private async checkSize(size: number): Promise<void> {
    const signed = await this.size();
    if (size > signed) {
      throw new InputError(
        'LEDGER_BAD_INDEX',
        `tree size ${size} is beyond the latest checkpoint (${signed})`,
      );
    }
  }

  /** Inclusion proof for `index` in the tree of `size` (default: the latest published checkpoint). */
  async inclusionProof(index: number, size?: number): Promise<Buffer[]> {
    const treeSize = size ?? (await this.storage.latestPublished())?.size ?? 0;
    await this.checkSize(treeSize);
    return this.resolveRanges(inclusionRanges(index, treeSize));
  }

  async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    await this.checkSize(to);
    return this.resolveRanges(consistencyRanges(from, to));
  }

  async entry(index: number): Promise<Buffer> {
    const [entry] = await this.storage.entries(index, 1);
    if (!entry) throw new InputError('LEDGER_BAD_INDEX', `no entry at index ${index}`);
    return entry;
  }

  async findIndex(lookupKey: string): Promise<number | undefined> {
    return this.storage.findIndex(lookupKey);
  }

  /** A C2SP tlog-proof for the entry at `index` against the latest published checkpoint covering it. */
  async receipt(index: number): Promise<string> {
    const published = await this.storage.latestPublished();
    if (!published?.published || published.size <= index) {
      throw new GatechainError(
        'LEDGER_NOT_PUBLISHED',
        `entry ${index} is not yet covered by a published checkpoint (published size ${published?.size ?? 0})`,
      );
    }
    const proof = await this.resolveRanges(inclusionRanges(index, published.size));
    const entry = await this.entry(index);
    return formatReceipt({ index, proof, checkpoint: published.published, extra: entry });
  }

  /** Tile bytes, or undefined when the tile does not exist (yet) at that width. */
  async tile(ref: TileRef): Promise<Buffer | undefined> {
    const size = await this.storage.treeSize();
    if (ref.level === 'entries') {
      if (tileWidthAt(size, 0, ref.index) < ref.width) return undefined;
      return encodeEntryBundle(await this.storage.entries(ref.index * TILE_WIDTH, ref.width));
    }
    if (tileWidthAt(size, ref.level, ref.index) < ref.width) return undefined;
    if (ref.width === TILE_WIDTH) {
      const full = await this.storage.fullTile(ref.level, ref.index);
      if (full) return full;
    }
    const hashes = await this.storage.nodeRange(ref.level * TILE_HEIGHT, ref.index * TILE_WIDTH, ref.width);
    if (hashes.length !== ref.width) {
      throw new GatechainError('LEDGER_STORE_CORRUPT', `tile ${ref.level}/${ref.index} is missing hashes`);
    }
    return Buffer.concat(hashes);
  }

  async close(): Promise<void> {
    await this.storage.close();
  }
}
