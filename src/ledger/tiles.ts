import { InputError } from '../util/errors.ts';
import { HASH_SIZE } from './merkle.ts';

/**
 * C2SP tlog-tiles layout. Tiles have height 8: tile N at level L holds the hashes of the perfect
 * subtrees of height 8L with indexes [256N, 256N+W). A tile is full at W = 256; the rightmost tile
 * of a level is partial (`.p/W`) and is never hashed into the level above. Entry bundles carry
 * the entries of level-0 tile N, each behind a big-endian uint16 length (so entries are ≤ 65,535 B).
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
export const MAX_TILE_LEVEL = 63;
export const MAX_ENTRY_BYTES = 0xffff;

export interface TileRef {
  /** Hash level, or 'entries' for an entry bundle. */
  level: number | 'entries';
  index: number;
  /** Number of hashes (or entries); 256 for a full tile. */
  width: number;
}

/** `1234067` → `x001/x234/067`. */
export function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new InputError('LEDGER_BAD_INDEX', `bad tile index ${index}`);
  let digits = String(index);
  while (digits.length % 3 !== 0) digits = `0${digits}`;
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

export function tilePath(tile: TileRef): string {
  const suffix = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`;
  return `tile/${tile.level}/${encodeTileIndex(tile.index)}${suffix}`;
}

function badPath(path: string, why: string): InputError {
  return new InputError(
    'LEDGER_BAD_TILE_PATH',
    `bad tile path ${JSON.stringify(path.slice(0, 200))}: ${why}`,
  );
}

/** Parses the part after `tile/` (e.g. `0/x001/234.p/7` or `entries/000`). Strict: one spelling per tile. */
export function parseTilePath(path: string): TileRef {
  if (path.length > 200) throw badPath(path, 'too long');
  const parts = path.split('/');
  const levelText = parts.shift();
  let level: number | 'entries';
  if (levelText === 'entries') level = 'entries';
  else if (
    levelText !== undefined &&
    /^(0|[1-9][0-9]?)$/.test(levelText) &&
    Number(levelText) <= MAX_TILE_LEVEL
  ) {
    level = Number(levelText);
  } else throw badPath(path, 'level must be 0..63 or entries');
  let width = TILE_WIDTH;
  const last = parts.length - 2;
  if (parts.length >= 2 && parts[last]?.endsWith('.p')) {
    const widthText = parts.pop() as string;
    if (!/^[1-9][0-9]{0,2}$/.test(widthText) || Number(widthText) >= TILE_WIDTH) {
      throw badPath(path, 'partial width must be 1..255');
    }
    width = Number(widthText);
    parts[parts.length - 1] = (parts[parts.length - 1] as string).slice(0, -2);
  }
  if (parts.length === 0) throw badPath(path, 'missing index');
  let digits = '';
  parts.forEach((part, i) => {
    const expected = i < parts.length - 1 ? /^x[0-9]{3}$/ : /^[0-9]{3}$/;
    if (!expected.test(part))
      throw badPath(path, 'index must be 3-digit groups, all but the last prefixed with x');
    digits += part.replace('x', '');
  });
  const index = Number(digits);
  if (!Number.isSafeInteger(index)) throw badPath(path, 'index too large');
  if (encodeTileIndex(index) !== parts.join('/')) throw badPath(path, 'index has superfluous leading groups');
  return { level, index, width };
}

/** Number of hashes stored at a tile level for a tree of the given size. */
export function levelCount(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** The width the tile (level, index) has in a tree of the given size; 0 if it does not exist. */
export function tileWidthAt(size: number, level: number, index: number): number {
  const count = levelCount(size, level);
  return Math.max(0, Math.min(TILE_WIDTH, count - index * TILE_WIDTH));
}

/** The tiles that exist for a tree of the given size at one level, full ones and the partial one. */
export function tilesAtLevel(size: number, level: number): TileRef[] {
  const count = levelCount(size, level);
  const out: TileRef[] = [];
  for (let index = 0; index * TILE_WIDTH < count; index++) {
    out.push({ level, index, width: Math.min(TILE_WIDTH, count - index * TILE_WIDTH) });
  }
  return out;
}

/** Highest tile level that holds anything for this size (−1 for the empty tree). */
export function topLevel(size: number): number {
  let level = -1;
  while (levelCount(size, level + 1) > 0) level++;
  return level;
}

export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_BYTES) {
      throw new InputError(
        'LEDGER_ENTRY_TOO_LARGE',
        `entry of ${entry.length} bytes exceeds ${MAX_ENTRY_BYTES}`,
      );
    }
    const length = Buffer.alloc(2);
    length.writeUInt16BE(entry.length);
    parts.push(length, Buffer.from(entry));
  }
  return Buffer.concat(parts);
}

export function decodeEntryBundle(bytes: Uint8Array, expected: number): Buffer[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    if (offset + 2 > buffer.length)
      throw new InputError('LEDGER_BAD_BUNDLE', 'entry bundle ends inside a length prefix');
    const length = buffer.readUInt16BE(offset);
    offset += 2;
    if (offset + length > buffer.length)
      throw new InputError('LEDGER_BAD_BUNDLE', 'entry bundle ends inside an entry');
    out.push(buffer.subarray(offset, offset + length));
    offset += length;
    if (out.length > TILE_WIDTH)
      throw new InputError('LEDGER_BAD_BUNDLE', 'entry bundle has more than 256 entries');
  }
  if (out.length !== expected) {
    throw new InputError('LEDGER_BAD_BUNDLE', `entry bundle has ${out.length} entries, expected ${expected}`);
  }
  return out;
}

export function splitTileHashes(bytes: Uint8Array, width: number): Buffer[] {
  if (bytes.length !== width * HASH_SIZE) {
    throw new InputError('LEDGER_BAD_TILE', `tile has ${bytes.length} bytes, expected ${width * HASH_SIZE}`);
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Buffer[] = [];
  for (let i = 0; i < width; i++) out.push(buffer.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return out;
}
