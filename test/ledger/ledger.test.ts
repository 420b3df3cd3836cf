import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/ledger/ledger.ts';
import { EMPTY_ROOT, leafHash, verifyConsistency, verifyInclusion } from '../../src/ledger/merkle.ts';
import { openLedgerReader } from '../../src/ledger/open-reader.ts';
import { verifyReceipt } from '../../src/ledger/receipt.ts';
import { encodeRecord } from '../../src/ledger/records.ts';
import { openSqliteStorage } from '../../src/ledger/sqlite-storage.ts';
import { splitTileHashes } from '../../src/ledger/tiles.ts';
import { attestation, breakGlass } from './helpers/records.ts';
import { referenceRoot } from './helpers/reference.ts';
import { tempDir } from './helpers/temp.ts';

function tempStore(): string {
  return tempDir('gatechain-ledger-');
}

test('appends are durable, indexed in order, and proofs match the reference tree at every size', async () => {
  const storeDir = tempStore();
  const ledger = await openLedger({ storeDir });
  try {
    assert.equal(statSync(join(storeDir, 'ledger-key')).mode & 0o777, 0o600);
    const first = await ledger.checkpoint();
    assert.equal(first.size, 0);
    assert.equal(first.root, EMPTY_ROOT.toString('base64'));
    const results = await ledger.appendMany(Array.from({ length: 700 }, (_, i) => breakGlass(i)));
    assert.deepEqual(
      results.map((r) => r.index),
      Array.from({ length: 700 }, (_, i) => i),
    );
    const { index } = await ledger.append(attestation(1));
    assert.equal(index, 700);
    const leaves = [
      ...Array.from({ length: 700 }, (_, i) => leafHash(encodeRecord(breakGlass(i)))),
      leafHash(encodeRecord(attestation(1))),
    ];
    const checkpoint = await ledger.checkpoint();
    assert.equal(checkpoint.size, 701);
    assert.equal(checkpoint.root, referenceRoot(leaves).toString('base64'));
    for (const [i, size] of [
      [0, 1],
      [5, 300],
      [255, 256],
      [256, 257],
      [699, 701],
      [700, 701],
    ] as const) {
      const proof = await ledger.inclusionProof(i, size);
      assert.ok(
        verifyInclusion(i, size, leaves[i] as Buffer, proof, referenceRoot(leaves.slice(0, size))),
        `${i}@${size}`,
      );
    }
    for (const [from, to] of [
      [1, 701],
      [256, 700],
      [300, 513],
      [0, 10],
    ] as const) {
      const proof = await ledger.consistencyProof(from, to);
      const oldRoot = from === 0 ? EMPTY_ROOT : referenceRoot(leaves.slice(0, from));
      assert.ok(
        verifyConsistency(from, to, oldRoot, referenceRoot(leaves.slice(0, to)), proof),
        `${from}→${to}`,
      );
    }
    const receipt = await ledger.receipt(700);
    const verified = verifyReceipt(receipt, encodeRecord(attestation(1)), ledger.verifierKey);
    assert.equal(ledger.verifyReceipt(receipt).index, 700);
    assert.throws(() => ledger.verifyReceipt(receipt, encodeRecord(attestation(2))), {
      code: 'LEDGER_ENTRY_MISMATCH',
    });
    assert.equal(verified.checkpoint.size, 701);
    assert.equal(await ledger.findIndex(`sha256:${(1).toString(16).padStart(64, '0')}`), 700);
    // Tiles are derived from the stored nodes: level 0 holds leaf hashes, level 1 the full level-0 tiles' roots.
    const tile0 = await ledger.tile({ level: 0, index: 1, width: 256 });
    assert.deepEqual(splitTileHashes(tile0 as Buffer, 256), leaves.slice(256, 512));
    const partial = await ledger.tile({ level: 1, index: 0, width: 2 });
    assert.deepEqual(splitTileHashes(partial as Buffer, 2), [
      referenceRoot(leaves.slice(0, 256)),
      referenceRoot(leaves.slice(256, 512)),
    ]);
    assert.equal(await ledger.tile({ level: 1, index: 0, width: 3 }), undefined);
    await assert.rejects(ledger.inclusionProof(0, 702), { code: 'LEDGER_BAD_INDEX' });
    await assert.rejects(ledger.append({ kind: 'break-glass' }), { code: 'LEDGER_RECORD_INVALID' });
  } finally {
    await ledger.close();
  }
  const reopened = await openLedger({ storeDir });
  try {
    assert.equal((await reopened.checkpoint()).size, 701);
    assert.equal((await reopened.append(breakGlass('after restart'))).index, 701);
  } finally {
    await reopened.close();
  }
});

test('one writer at a time: a second open in this process or another is refused', async () => {
  const storeDir = tempStore();
  const ledger = await openLedger({ storeDir });
  try {
    await assert.rejects(openLedger({ storeDir }), { code: 'LEDGER_LOCKED' });
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { openLedger } from ${JSON.stringify(new URL('../../src/ledger/ledger.ts', import.meta.url).href)};
         try { await openLedger({ storeDir: ${JSON.stringify(storeDir)} }); console.log('opened'); }
         catch (error) { console.log(error.code); }`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(child.stdout.trim(), 'LEDGER_LOCKED', child.stderr);
  } finally {
    await ledger.close();
  }
  // The lock is released on close.
  await (await openLedger({ storeDir })).close();
});

test('start-up refuses to run when the stored entries no longer match the last signed checkpoint', async () => {
  const storeDir = tempStore();
  const ledger = await openLedger({ storeDir });
  await ledger.appendMany(Array.from({ length: 20 }, (_, i) => breakGlass(i)));
  await ledger.close();
  const db = new Database(join(storeDir, 'ledger.db'));
  db.prepare('UPDATE entries SET data = ? WHERE idx = 7').run(encodeRecord(breakGlass('forged')));
  db.close();
  await assert.rejects(openLedger({ storeDir }), { code: 'LEDGER_ROOT_MISMATCH' });
  // Refusing must not leave the lock behind or change anything: a reader still sees the signed state.
  const reader = openLedgerReader(storeDir);
  assert.equal((await reader.latestPublished())?.size, 20);
  await reader.close();
  await assert.rejects(openLedger({ storeDir }), { code: 'LEDGER_ROOT_MISMATCH' });
});

test('start-up refuses a store whose newest entries have no signed checkpoint', async () => {
  const storeDir = tempStore();
  const ledger = await openLedger({ storeDir });
  await ledger.appendMany(Array.from({ length: 5 }, (_, i) => breakGlass(i)));
  await ledger.close();
  const db = new Database(join(storeDir, 'ledger.db'));
  db.prepare('DELETE FROM checkpoints WHERE size = 5').run();
  db.close();
  await assert.rejects(openLedger({ storeDir }), { code: 'LEDGER_ROOT_MISMATCH' });
});

test('the store never signs a second, different root for a size it already signed', async () => {
  const storeDir = tempStore();
  const ledger = await openLedger({ storeDir });
  await ledger.append(breakGlass(1));
  await ledger.close();
  const storage = openSqliteStorage(join(storeDir, 'ledger.db'));
  try {
    const existing = await storage.checkpointAt(1);
    assert.ok(existing);
    const forged = { ...existing, root: Buffer.alloc(32, 1) };
    const db = new Database(join(storeDir, 'ledger.db'));
    db.prepare('DELETE FROM entries WHERE idx = 0').run();
    db.close();
    await assert.rejects(
      storage.commitBatch({
        firstIndex: 0,
        entries: [{ data: encodeRecord(breakGlass(2)), lookupKey: undefined }],
        nodes: [],
        checkpoint: forged,
      }),
      { code: 'LEDGER_CHECKPOINT_CONFLICT' },
    );
    // The failed batch rolled back: the entry was not re-added.
    assert.equal(await storage.treeSize(), 0);
  } finally {
    await storage.close();
  }
});

test('origin and key must agree', async () => {
  const storeDir = tempStore();
  await (await openLedger({ storeDir, origin: 'example.com/a' })).close();
  await assert.rejects(openLedger({ storeDir, origin: 'example.com/b' }), { code: 'LEDGER_ORIGIN_MISMATCH' });
  const ledger = await openLedger({ storeDir, origin: 'example.com/a' });
  assert.ok(ledger.verifierKey.startsWith('example.com/a+'));
  await ledger.close();
});

test('group commit: a burst of appends shares batches of at most 256, with a batch delay honoured', async () => {
  const storeDir = tempStore();
  const ledger = await openLedger({ storeDir, batchDelayMs: 30 });
  try {
    const started = Date.now();
    const results = await ledger.appendMany(Array.from({ length: 600 }, (_, i) => breakGlass(i)));
    assert.equal(results.at(-1)?.index, 599);
    const db = new Database(join(storeDir, 'ledger.db'), { readonly: true });
    const sizes = (db.prepare('SELECT size FROM checkpoints ORDER BY size').pluck().all() as number[]).slice(
      1,
    );
    db.close();
    assert.deepEqual(sizes, [256, 512, 600]);
    const one = await ledger.append(breakGlass('alone'));
    assert.equal(one.index, 600);
    assert.ok(Date.now() - started >= 25);
  } finally {
    await ledger.close();
  }
});

test('the fast start-up check (edge) still catches a changed newest entry or a changed edge node', async () => {
  const storeDir = tempStore();
  const ledger = await openLedger({ storeDir });
  await ledger.appendMany(Array.from({ length: 300 }, (_, i) => breakGlass(i)));
  await ledger.close();
  await (await openLedger({ storeDir, startupCheck: 'edge' })).close();
  const db = new Database(join(storeDir, 'ledger.db'));
  const original = db.prepare('SELECT data FROM entries WHERE idx = 299').pluck().get() as Buffer;
  db.prepare('UPDATE entries SET data = ? WHERE idx = 299').run(encodeRecord(breakGlass('forged')));
  await assert.rejects(openLedger({ storeDir, startupCheck: 'edge' }), { code: 'LEDGER_ROOT_MISMATCH' });
  db.prepare('UPDATE entries SET data = ? WHERE idx = 299').run(original);
  // The level-8 node over entries 0..255 is on the right edge of a 300-entry tree.
  db.prepare('UPDATE nodes SET hash = ? WHERE id = ?').run(Buffer.alloc(32, 7), 8 * 2 ** 40);
  db.close();
  await assert.rejects(openLedger({ storeDir, startupCheck: 'edge' }), { code: 'LEDGER_ROOT_MISMATCH' });
  await assert.rejects(openLedger({ storeDir, startupCheck: 'full' }), { code: 'LEDGER_ROOT_MISMATCH' });
});
