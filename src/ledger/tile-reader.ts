import { VerificationError } from '../util/errors.ts';
import { foldRight, HASH_SIZE, leafHash, type NodeCoord, rootFromLeafHashes } from './merkle.ts';
import type { TileFetcher } from './tile-fetcher.ts';
import {
  decodeEntryBundle,
  levelCount,
  splitTileHashes,
  TILE_HEIGHT,
  TILE_WIDTH,
  tilePath,
  tileWidthAt,
  topLevel,
} from './tiles.ts';

const MAX_BUNDLE_BYTES = TILE_WIDTH * (2 + 0xffff);

/**
 * Reads hash tiles of a tlog-tiles log for one checkpoint and trusts nothing it downloads: the
 * right-edge tiles are checked by recomputing the checkpoint root from them; every full tile is
 * checked against its hash in the (already verified) tile one level up; entry bundles against
 * the verified level-0 hashes.
 */
export class VerifiedTileReader {
  private readonly fetcher: TileFetcher;
  readonly size: number;
  readonly root: Buffer;
  private readonly verified = new Map<string, Buffer[]>();
  tilesFetched = 0;

  constructor(fetcher: TileFetcher, size: number, root: Buffer) {
    this.fetcher = fetcher;
    this.size = size;
    this.root = root;
  }

  /**
   * Fetches a tile; a partial tile the log no longer serves (it may delete partial tiles once the
   * full one exists) is read as the first `width` hashes of the full tile instead.
   */
  private async fetchTile(level: number, index: number, width: number): Promise<Buffer[]> {
    const path = tilePath({ level, index, width });
    let bytes = await this.fetcher.get(path, TILE_WIDTH * HASH_SIZE);
    this.tilesFetched++;
    if (!bytes && width < TILE_WIDTH) {
      const full = await this.fetcher.get(
        tilePath({ level, index, width: TILE_WIDTH }),
        TILE_WIDTH * HASH_SIZE,
      );
      this.tilesFetched++;
      if (full?.length === TILE_WIDTH * HASH_SIZE) bytes = full.subarray(0, width * HASH_SIZE);
    }
    if (!bytes) throw new VerificationError('LEDGER_TILE_MISSING', `the log does not serve ${path}`);
    try {
      return splitTileHashes(bytes, width);
    } catch (error) {
      throw new VerificationError('LEDGER_TILE_MISMATCH', `${path}: ${(error as Error).message}`);
    }
  }

  /** Fetches the right-edge tiles and checks that they hash to the checkpoint root. */
  async verifyRoot(): Promise<void> {
    const subtrees: Buffer[] = [];
    for (let level = topLevel(this.size); level >= 0; level--) {
      const width = levelCount(this.size, level) % TILE_WIDTH;
      if (width === 0) continue;
      const index = Math.floor(levelCount(this.size, level) / TILE_WIDTH);
      const hashes = await this.fetchTile(level, index, width);
      let offset = 0;
      for (let bit = TILE_HEIGHT - 1; bit >= 0; bit--) {
        const span = 2 ** bit;
        if ((width & span) === 0) continue;
        subtrees.push(rootFromLeafHashes(hashes.slice(offset, offset + span)));
        offset += span;
      }
      this.verified.set(`${level}/${index}`, hashes);
    }
    if (Buffer.compare(foldRight(subtrees), this.root) !== 0) {
      this.verified.clear();
      throw new VerificationError(
        'LEDGER_TILE_MISMATCH',
        `the tiles served for size ${this.size} do not hash to the checkpoint root`,
      );
    }
  }

  /** The verified hashes of tile (level, index) as it exists at this reader's size. */
  async tileHashes(level: number, index: number): Promise<Buffer[]> {
    const key = `${level}/${index}`;
    const cached = this.verified.get(key);
    if (cached) return cached;
    const width = tileWidthAt(this.size, level, index);
    if (width !== TILE_WIDTH) {
      throw new VerificationError(
        'LEDGER_TILE_MISMATCH',
        `tile ${key} is not part of the verified right edge`,
      );
    }
    const hashes = await this.fetchTile(level, index, width);
    const parentIndex = Math.floor(index / TILE_WIDTH);
    const parent = await this.tileHashes(level + 1, parentIndex);
    const expected = parent[index % TILE_WIDTH];
    if (!expected || Buffer.compare(rootFromLeafHashes(hashes), expected) !== 0) {
      throw new VerificationError(
        'LEDGER_TILE_MISMATCH',
        `tile ${key} does not match its hash in tile ${level + 1}/${parentIndex}`,
      );
    }
    this.verified.set(key, hashes);
    return hashes;
  }

  /** Hash of a perfect subtree inside the checkpointed tree. */
  async nodeHash(coord: NodeCoord): Promise<Buffer> {
    const level = Math.floor(coord.height / TILE_HEIGHT);
    const span = 2 ** (coord.height - level * TILE_HEIGHT);
    const first = coord.index * span;
    const hashes = await this.tileHashes(level, Math.floor(first / TILE_WIDTH));
    const offset = first % TILE_WIDTH;
    return rootFromLeafHashes(hashes.slice(offset, offset + span));
  }

  /** Verified entries [start, end) read from entry bundles. */
  async entries(
    start: number,
    end: number,
    onEntry: (index: number, entry: Buffer) => void | Promise<void>,
  ): Promise<void> {
    for (let tile = Math.floor(start / TILE_WIDTH); tile * TILE_WIDTH < end; tile++) {
      const width = tileWidthAt(this.size, 0, tile);
      const path = tilePath({ level: 'entries', index: tile, width });
      let bytes = await this.fetcher.get(path, MAX_BUNDLE_BYTES);
      let count = width;
      if (!bytes && width < TILE_WIDTH) {
        // Same fallback as for hash tiles: the full bundle starts with the entries we need.
        bytes = await this.fetcher.get(
          tilePath({ level: 'entries', index: tile, width: TILE_WIDTH }),
          MAX_BUNDLE_BYTES,
        );
        count = TILE_WIDTH;
      }
      if (!bytes) throw new VerificationError('LEDGER_TILE_MISSING', `the log does not serve ${path}`);
      let bundle: Buffer[];
      try {
        bundle = decodeEntryBundle(bytes, count);
      } catch (error) {
        throw new VerificationError('LEDGER_BUNDLE_MISMATCH', `${path}: ${(error as Error).message}`);
      }
      const hashes = await this.tileHashes(0, tile);
      for (let i = 0; i < width; i++) {
        const index = tile * TILE_WIDTH + i;
        if (index < start || index >= end) continue;
        const entry = bundle[i] as Buffer;
        if (Buffer.compare(leafHash(entry), hashes[i] as Buffer) !== 0) {
          throw new VerificationError(
            'LEDGER_BUNDLE_MISMATCH',
            `entry ${index} in ${path} does not match its leaf hash`,
          );
        }
        await onEntry(index, entry);
      }
    }
  }
}
