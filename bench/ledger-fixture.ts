/**
 * Builds (once, cached in the temp dir) a ledger store with N entries for the proof and tile
 * benchmarks, through the storage driver in large batches so setup does not take minutes. The
 * result is a normal store: openLedger's start-up check accepts it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCheckpoint } from '../src/ledger/checkpoint.ts';
import { CompactRange, leafHash, type NodeCoord } from '../src/ledger/merkle.ts';
import { signNote } from '../src/ledger/note.ts';
import { formatSignerKey, generateSignerKey } from '../src/ledger/note-keys.ts';
import { encodeRecord } from '../src/ledger/records.ts';
import { signerFor } from '../src/ledger/signers.ts';
import { openSqliteStorage } from '../src/ledger/sqlite-storage.ts';

export function benchRecord(i: number): Record<string, unknown> {
  return {
    kind: 'attestation',
    v: 1,
    bundleDigest: `sha256:${i.toString(16).padStart(64, '0')}`,
    predicateType: 'https://slsa.dev/provenance/v1',
    subjects: [{ sha256: (i * 7919).toString(16).padStart(64, '0') }],
    signerKeyId: `key-${i % 7}`,
    time: '2026-12-04T12:00:00Z',
  };
}

export async function buildFixture(size: number): Promise<string> {
  const storeDir = join(tmpdir(), `gatechain-bench-ledger-${size}`);
  if (existsSync(join(storeDir, 'complete'))) return storeDir;
  mkdirSync(storeDir, { recursive: true });
  const key = generateSignerKey('bench.example/ledger');
  writeFileSync(join(storeDir, 'ledger-key'), `${formatSignerKey(key)}\n`, { mode: 0o600 });
  const storage = openSqliteStorage(join(storeDir, 'ledger.db'));
  const range = new CompactRange();
  const sign = (size: number, root: Buffer) =>
    signNote(formatCheckpoint({ origin: key.name, size, root, extensions: [] }), [signerFor(key)]);
  const empty = sign(0, range.root());
  await storage.commitBatch({
    firstIndex: 0,
    entries: [],
    nodes: [],
    checkpoint: { size: 0, root: range.root(), note: empty, published: empty },
  });
  const BATCH = 16_384;
  for (let start = 0; start < size; start += BATCH) {
    const entries: { data: Buffer; lookupKey: string | undefined }[] = [];
    const nodes: { coord: NodeCoord; hash: Buffer }[] = [];
    for (let i = start; i < Math.min(size, start + BATCH); i++) {
      const record = benchRecord(i);
      const data = encodeRecord(record);
      entries.push({ data, lookupKey: record['bundleDigest'] as string });
      range.append(leafHash(data), (coord, hash) => {
        nodes.push({ coord, hash });
      });
    }
    const root = range.root();
    const note = sign(range.size, root);
    await storage.commitBatch({
      firstIndex: start,
      entries,
      nodes,
      checkpoint: { size: range.size, root, note, published: note },
    });
  }
  await storage.close();
  writeFileSync(join(storeDir, 'complete'), '');
  return storeDir;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
