import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  CompactRange,
  consistencyRanges,
  EMPTY_ROOT,
  hashRanges,
  inclusionRanges,
  leafHash,
  nodesForRanges,
  perfectNodes,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../../src/ledger/merkle.ts';
import { makeLeaves, referenceConsistency, referencePath, referenceRoot } from './helpers/reference.ts';

const hex = (value: string) => Buffer.from(value, 'hex');

// RFC 6962 reference inputs and tree heads used by the Certificate Transparency test suites.
const CT_ENTRIES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_LEAVES = CT_ENTRIES.map(leafHash);

/** Proofs as our store-backed generator makes them: ranges resolved from perfect-node hashes. */
function nodeLookup(leaves: readonly Buffer[]) {
  return ({ height, index }: { height: number; index: number }) =>
    referenceRoot(leaves.slice(index * 2 ** height, (index + 1) * 2 ** height));
}
function inclusionProof(index: number, leaves: readonly Buffer[], size = leaves.length): Buffer[] {
  return hashRanges(inclusionRanges(index, size), nodeLookup(leaves.slice(0, size)));
}
function consistencyProof(from: number, leaves: readonly Buffer[]): Buffer[] {
  return hashRanges(consistencyRanges(from, leaves.length), nodeLookup(leaves));
}

function flipBit(buffer: Buffer, bit: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[Math.floor(bit / 8) % copy.length] =
    (copy[Math.floor(bit / 8) % copy.length] as number) ^ (1 << (bit % 8));
  return copy;
}

test('tree heads match the RFC 6962 reference roots for sizes 0..8', () => {
  assert.equal(
    EMPTY_ROOT.toString('hex'),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  );
  for (let n = 1; n <= 8; n++)
    assert.equal(rootFromLeafHashes(CT_LEAVES.slice(0, n)).toString('hex'), CT_ROOTS[n - 1]);
});

test('inclusion and consistency proofs match the published reference vectors', () => {
  assert.deepEqual(
    inclusionProof(0, CT_LEAVES).map((h) => h.toString('hex')),
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  );
  assert.deepEqual(
    inclusionProof(5, CT_LEAVES).map((h) => h.toString('hex')),
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  );
  assert.deepEqual(
    consistencyProof(6, CT_LEAVES).map((h) => h.toString('hex')),
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  );
  assert.deepEqual(
    consistencyProof(2, CT_LEAVES.slice(0, 5)).map((h) => h.toString('hex')),
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  );
});

test('range-based proofs equal the recursive RFC definitions for every index of sizes 1..70', () => {
  const leaves = makeLeaves(70);
  for (let size = 1; size <= 70; size++) {
    const prefix = leaves.slice(0, size);
    for (let index = 0; index < size; index++) {
      assert.deepEqual(
        inclusionProof(index, prefix),
        referencePath(index, prefix),
        `inclusion ${index}/${size}`,
      );
    }
    for (let from = 0; from <= size; from++) {
      assert.deepEqual(
        consistencyProof(from, prefix),
        referenceConsistency(from, prefix),
        `consistency ${from}→${size}`,
      );
    }
  }
});

test('property: inclusion proofs on randomly grown trees verify, and any flipped bit fails', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 300 }),
      fc.nat(),
      fc.nat(),
      fc.integer({ min: 0, max: 3 }),
      (size, indexSeed, bitSeed, target) => {
        const leaves = makeLeaves(size, size);
        const index = indexSeed % size;
        const root = rootFromLeafHashes(leaves);
        const proof = inclusionProof(index, leaves);
        assert.ok(verifyInclusion(index, size, leaves[index] as Buffer, proof, root));
        if (target === 0 && proof.length > 0) {
          const i = bitSeed % proof.length;
          const bad = proof.map((p, j) => (j === i ? flipBit(p, bitSeed) : p));
          assert.equal(verifyInclusion(index, size, leaves[index] as Buffer, bad, root), false);
        } else if (target === 1) {
          assert.equal(
            verifyInclusion(index, size, flipBit(leaves[index] as Buffer, bitSeed), proof, root),
            false,
          );
        } else if (target === 2) {
          assert.equal(
            verifyInclusion(index, size, leaves[index] as Buffer, proof, flipBit(root, bitSeed)),
            false,
          );
        } else {
          // A proof shortened or extended, or checked at another index, must fail too.
          assert.equal(verifyInclusion(index, size, leaves[index] as Buffer, [...proof, root], root), false);
          if (proof.length > 0) {
            assert.equal(verifyInclusion(index, size, leaves[index] as Buffer, proof.slice(1), root), false);
          }
          if (size > 1) {
            const other = (index + 1) % size;
            assert.equal(verifyInclusion(other, size, leaves[index] as Buffer, proof, root), false);
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('property: consistency proofs between random sizes verify, and any flipped bit fails', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 300 }),
      fc.nat(),
      fc.nat(),
      fc.boolean(),
      (size, fromSeed, bitSeed, flipProof) => {
        const leaves = makeLeaves(size, 7);
        const from = 1 + (fromSeed % size);
        const oldRoot = rootFromLeafHashes(leaves.slice(0, from));
        const newRoot = rootFromLeafHashes(leaves);
        const proof = consistencyProof(from, leaves);
        assert.ok(verifyConsistency(from, size, oldRoot, newRoot, proof));
        if (flipProof && proof.length > 0) {
          const i = bitSeed % proof.length;
          assert.equal(
            verifyConsistency(
              from,
              size,
              oldRoot,
              newRoot,
              proof.map((p, j) => (j === i ? flipBit(p, bitSeed) : p)),
            ),
            false,
          );
        } else {
          assert.equal(verifyConsistency(from, size, flipBit(oldRoot, bitSeed), newRoot, proof), false);
          assert.equal(verifyConsistency(from, size, oldRoot, flipBit(newRoot, bitSeed), proof), false);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('empty-tree policy: size 0 is consistent with any size only with an empty proof', () => {
  const leaves = makeLeaves(5);
  const root = rootFromLeafHashes(leaves);
  assert.ok(verifyConsistency(0, 5, EMPTY_ROOT, root, []));
  assert.ok(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, []));
  assert.equal(verifyConsistency(0, 5, EMPTY_ROOT, root, [root]), false);
  assert.equal(verifyConsistency(0, 5, root, root, []), false, 'the old root of size 0 must be MTH({})');
  assert.deepEqual(consistencyRanges(0, 5), []);
  assert.ok(verifyConsistency(5, 5, root, root, []));
  assert.equal(verifyConsistency(5, 5, root, EMPTY_ROOT, []), false);
  assert.equal(verifyConsistency(6, 5, root, root, []), false);
  assert.equal(verifyInclusion(0, 0, leaves[0] as Buffer, [], EMPTY_ROOT), false);
});

test('a compact range reports every perfect node once, and its root tracks the reference', () => {
  const leaves = makeLeaves(40);
  const range = new CompactRange();
  const seen = new Map<string, Buffer>();
  leaves.forEach((leaf, i) => {
    range.append(leaf, (coord, hash) => {
      const key = `${coord.height}:${coord.index}`;
      assert.equal(seen.has(key), false, `node ${key} reported twice`);
      seen.set(key, hash);
    });
    assert.deepEqual(range.root(), referenceRoot(leaves.slice(0, i + 1)));
  });
  for (const [key, hash] of seen) {
    const [height, index] = key.split(':').map(Number) as [number, number];
    assert.deepEqual(hash, referenceRoot(leaves.slice(index * 2 ** height, (index + 1) * 2 ** height)));
  }
  assert.deepEqual(perfectNodes({ start: 0, end: 7 }), [
    { height: 2, index: 0 },
    { height: 1, index: 2 },
    { height: 0, index: 6 },
  ]);
  assert.equal(nodesForRanges(inclusionRanges(3, 1_000_000)).length <= 40, true);
});

test('out-of-range indexes are typed errors', () => {
  assert.throws(() => inclusionRanges(5, 5), { code: 'LEDGER_BAD_INDEX' });
  assert.throws(() => inclusionRanges(-1, 5), { code: 'LEDGER_BAD_INDEX' });
  assert.throws(() => consistencyRanges(6, 5), { code: 'LEDGER_BAD_INDEX' });
  assert.throws(() => inclusionRanges(1.5, 5), { code: 'LEDGER_BAD_INDEX' });
});
