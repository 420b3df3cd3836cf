/**
 * Inclusion-proof generation latency at 1M entries (p50/p99), next to the raw primitive it is
 * made of: the same number of primary-key lookups through a bare prepared statement. Each proof
 * is verified once outside the timed loop so a fast wrong answer cannot pass.
 * Run: node bench/ledger-proof.ts [entries] [proofs]
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../src/ledger/ledger.ts';
import { inclusionRanges, leafHash, nodesForRanges, verifyInclusion } from '../src/ledger/merkle.ts';
import { buildFixture, percentile } from './ledger-fixture.ts';

const SIZE = Number(process.argv[2] ?? 1_000_000);
const PROOFS = Number(process.argv[3] ?? 20_000);

const setupStarted = performance.now();
const storeDir = await buildFixture(SIZE);
const setupSeconds = (performance.now() - setupStarted) / 1000;
const openStarted = performance.now();
const ledger = await openLedger({ storeDir, startupCheck: 'edge' });
const openMs = performance.now() - openStarted;
const checkpoint = await ledger.checkpoint();
const root = Buffer.from(checkpoint.root, 'base64');

// Warm the OS page cache the way a running server's would be: one pass over the node hashes.
const warm = new Database(join(storeDir, 'ledger.db'), { readonly: true });
warm.prepare('SELECT sum(length(hash)) FROM nodes').pluck().get();
warm.close();

const indexes = Array.from({ length: PROOFS }, () => Math.floor(Math.random() * SIZE));
for (const index of indexes.slice(0, 200)) {
  const proof = await ledger.inclusionProof(index, SIZE);
  if (!verifyInclusion(index, SIZE, leafHash(await ledger.entry(index)), proof, root))
    throw new Error('bad proof');
}
const times: number[] = [];
for (const index of indexes) {
  const started = performance.now();
  await ledger.inclusionProof(index, SIZE);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
await ledger.close();

// The primitive: the same node lookups as bare prepared-statement point reads.
const db = new Database(join(storeDir, 'ledger.db'), { readonly: true });
const get = db.prepare('SELECT hash FROM nodes WHERE id = ?').pluck();
const rawTimes: number[] = [];
for (const index of indexes) {
  const coords = nodesForRanges(inclusionRanges(index, SIZE));
  const started = performance.now();
  for (const coord of coords) get.get(coord.height * 2 ** 40 + coord.index);
  rawTimes.push(performance.now() - started);
}
db.close();
rawTimes.sort((a, b) => a - b);

const us = (milliseconds: number) => `${(milliseconds * 1000).toFixed(1)} µs`;
console.log(
  `tree: ${SIZE.toLocaleString('en-US')} entries (fixture ${setupSeconds.toFixed(1)} s, open with edge check ${openMs.toFixed(0)} ms)`,
);
console.log(
  `inclusion proof: p50 ${us(percentile(times, 50))}, p99 ${us(percentile(times, 99))}, max ${us(times.at(-1) as number)} (${PROOFS} proofs)`,
);
console.log(`raw node lookups: p50 ${us(percentile(rawTimes, 50))}, p99 ${us(percentile(rawTimes, 99))}`);
console.log(`ratio p50 proof/raw: ${(percentile(times, 50) / percentile(rawTimes, 50)).toFixed(2)}×`);
