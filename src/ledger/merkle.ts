import { hash } from 'node:crypto';
import { InputError } from '../util/errors.ts';

/**
 * RFC 6962 / RFC 9162 §2.1 Merkle tree hashing with SHA-256. Leaves hash as SHA-256(0x00 ‖ entry),
 * interior nodes as SHA-256(0x01 ‖ left ‖ right): the prefixes keep a leaf from ever being passed
 * off as a node. Sizes and indexes are plain numbers, so all index arithmetic here avoids the
 * 32-bit bitwise operators.
 */
export const HASH_SIZE = 32;

export function sha256(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = sha256(new Uint8Array(0));

export function leafHash(entry: Uint8Array): Buffer {
  const buffer = Buffer.allocUnsafe(entry.length + 1);
  buffer[0] = 0;
  buffer.set(entry, 1);
  return sha256(buffer);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  const buffer = Buffer.allocUnsafe(1 + 2 * HASH_SIZE);
  buffer[0] = 1;
  buffer.set(left, 1);
  buffer.set(right, 1 + HASH_SIZE);
  return sha256(buffer);
}

/** A perfect subtree: 2^height leaves starting at index·2^height. */
export interface NodeCoord {
  height: number;
  index: number;
}

/** A half-open leaf range [start, end) whose MTH is one element of a proof. */
export interface LeafRange {
  start: number;
  end: number;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.floor(Math.log2(n)) === n;
}

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 2 ** Math.floor(Math.log2(n));
  if (k >= n) k /= 2;
  return k;
}

/**
 * Splits [start, end) into maximal aligned perfect subtrees, left to right. For every range a proof
 * asks for, start is a multiple of a power of two ≥ end − start, so folding these nodes from the
 * right gives exactly MTH(D[start:end]).
 */
export function perfectNodes(range: LeafRange): NodeCoord[] {
  const nodes: NodeCoord[] = [];
  let start = range.start;
  while (start < range.end) {
    let height = Math.floor(Math.log2(range.end - start));
    while (start % 2 ** height !== 0) height--;
    nodes.push({ height, index: start / 2 ** height });
    start += 2 ** height;
  }
  return nodes;
}

/** Folds perfect-subtree hashes (left to right) into the hash of the whole range. */
export function foldRight(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc: Buffer = Buffer.from(hashes[hashes.length - 1] as Uint8Array);
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i] as Uint8Array, acc);
  return acc;
}

/** MTH of a list of leaf hashes, computed with a compact range (O(n) time, O(log n) memory). */
export function rootFromLeafHashes(leaves: readonly Uint8Array[]): Buffer {
  const range = new CompactRange();
  for (const leaf of leaves) range.append(leaf);
  return range.root();
}

/**
 * The right edge of a growing tree: one hash per set bit of the size. Appending a leaf merges equal
 * heights and reports each perfect node it completes, which is what the store keeps.
 */
export class CompactRange {
  size = 0;
  private readonly stack: Buffer[] = [];

  static from(size: number, edge: readonly Uint8Array[]): CompactRange {
    const range = new CompactRange();
    range.size = size;
    for (const hash of edge) range.stack.push(Buffer.from(hash));
    return range;
  }

  /** The perfect nodes whose fold is the root, largest first. */
  edge(): Buffer[] {
    return [...this.stack];
  }

  append(leaf: Uint8Array, onNode?: (coord: NodeCoord, hash: Buffer) => void): void {
    let index = this.size;
    let height = 0;
    let current: Buffer = Buffer.from(leaf);
    onNode?.({ height: 0, index }, current);
    while (index % 2 === 1) {
      const left = this.stack.pop() as Buffer;
      current = nodeHash(left, current);
      height++;
      index = (index - 1) / 2;
      onNode?.({ height, index }, current);
    }
    this.stack.push(current);
    this.size++;
  }

  root(): Buffer {
    return foldRight(this.stack);
  }

  clone(): CompactRange {
    return CompactRange.from(this.size, this.stack);
  }
}

/** Perfect nodes making up the compact range of a tree of the given size, largest first. */
export function edgeNodes(size: number): NodeCoord[] {
  return perfectNodes({ start: 0, end: size });
}

function checkIndex(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InputError('LEDGER_BAD_INDEX', `${name} must be a non-negative integer, got ${value}`);
  }
}

/** RFC 6962 §2.1.1 PATH(m, D[n]) as leaf ranges, from the leaf's sibling up to the root's child. */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  checkIndex(index, 'index');
  checkIndex(size, 'size');
  if (index >= size) {
    throw new InputError('LEDGER_BAD_INDEX', `index ${index} is outside a tree of size ${size}`);
  }
  const out: LeafRange[] = [];
  let start = 0;
  let end = size;
  // Walk down from the root, remembering the sibling at each split; reverse at the end.
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      out.push({ start: start + k, end });
      end = start + k;
    } else {
      out.push({ start, end: start + k });
      start += k;
    }
  }
  return out.reverse();
}

/**
 * RFC 6962 §2.1.2 PROOF(m, D[n]) as leaf ranges. Policy for m = 0: the empty tree is consistent
 * with every tree and its proof is empty; m = n also has an empty proof.
 */
export function consistencyRanges(oldSize: number, newSize: number): LeafRange[] {
  checkIndex(oldSize, 'old size');
  checkIndex(newSize, 'new size');
  if (oldSize > newSize) {
    throw new InputError('LEDGER_BAD_INDEX', `old size ${oldSize} is larger than new size ${newSize}`);
  }
  if (oldSize === 0 || oldSize === newSize) return [];
  const out: LeafRange[] = [];
  let start = 0;
  let end = newSize;
  let m = oldSize; // relative to start
  let complete = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      out.push({ start: start + k, end });
      end = start + k;
    } else {
      out.push({ start, end: start + k });
      m -= k;
      start += k;
      complete = false;
    }
  }
  if (!complete) out.push({ start, end });
  return out.reverse();
}

/** Coordinates of every perfect node needed to compute the given ranges (deduplicated). */
export function nodesForRanges(ranges: readonly LeafRange[]): NodeCoord[] {
  const seen = new Set<string>();
  const out: NodeCoord[] = [];
  for (const range of ranges) {
    for (const node of perfectNodes(range)) {
      const key = `${node.height}:${node.index}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(node);
      }
    }
  }
  return out;
}

/** Builds range hashes from a lookup of perfect-node hashes. */
export function hashRanges(ranges: readonly LeafRange[], lookup: (coord: NodeCoord) => Uint8Array): Buffer[] {
  return ranges.map((range) => foldRight(perfectNodes(range).map(lookup)));
}

function equalHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** RFC 9162 §2.1.3.2. Returns false on any mismatch; never throws on well-typed input. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (proof.some((p) => p.length !== HASH_SIZE) || leaf.length !== HASH_SIZE) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        do {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        } while (fn % 2 === 0 && fn !== 0);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalHash(r, root);
}

/**
 * RFC 9162 §2.1.4.2, plus the empty-tree policy: from size 0 any tree is consistent and the proof
 * must be empty (a non-empty proof is rejected, as is an old root other than MTH({})).
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize)) return false;
  if (oldSize < 0 || oldSize > newSize) return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  if (oldSize === 0) return proof.length === 0 && equalHash(oldRoot, EMPTY_ROOT);
  if (oldSize === newSize) return proof.length === 0 && equalHash(oldRoot, newRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr: Buffer = Buffer.from(path[0] as Uint8Array);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        do {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        } while (fn % 2 === 0 && fn !== 0);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalHash(fr, oldRoot) && equalHash(sr, newRoot);
}
