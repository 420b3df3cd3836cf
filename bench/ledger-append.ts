/**
 * Durable appends per second through the sequencer (group commit: ≤ 256 entries per
 * synchronous=FULL transaction, with leaf/node hashing and an Ed25519-signed checkpoint per
 * batch), side by side with raw better-sqlite3 inserts of the same bytes in the same run:
 *   raw-256: 256 plain INSERTs per FULL transaction (the storage ceiling, no Merkle work)
 *   raw-1:   one INSERT per FULL transaction (what a log without group commit gets)
 * Run: node bench/ledger-append.ts [entries]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedger } from '../src/ledger/ledger.ts';
import { encodeRecord } from '../src/ledger/records.ts';
import { benchRecord } from './ledger-fixture.ts';

const ENTRIES = Number(process.argv[2] ?? 50_000);
const IN_FLIGHT = 4096;

async function ledgerAppends(): Promise<number> {
  const ledger = await openLedger({ storeDir: mkdtempSync(join(tmpdir(), 'gatechain-bench-append-')) });
  const started = performance.now();
  for (let start = 0; start < ENTRIES; start += IN_FLIGHT) {
    const chunk = Array.from({ length: Math.min(IN_FLIGHT, ENTRIES - start) }, (_, i) =>
      benchRecord(start + i),
    );
    await Promise.all(chunk.map((record) => ledger.append(record)));
  }
  const seconds = (performance.now() - started) / 1000;
  await ledger.close();
  return ENTRIES / seconds;
}

function rawInserts(perTransaction: number, count: number): number {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'gatechain-bench-raw-')), 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE entries (idx INTEGER PRIMARY KEY, data BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO entries (idx, data) VALUES (?, ?)');
  const batch = db.transaction((rows: Buffer[], first: number) => {
    rows.forEach((row, i) => {
      insert.run(first + i, row);
    });
  });
  const data = Array.from({ length: count }, (_, i) => encodeRecord(benchRecord(i)));
  const started = performance.now();
  for (let start = 0; start < count; start += perTransaction)
    batch(data.slice(start, start + perTransaction), start);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return count / seconds;
}

const ledgerRate = await ledgerAppends();
const raw256 = rawInserts(256, ENTRIES);
const raw1 = rawInserts(1, Math.min(ENTRIES, 2000));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`entries: ${ENTRIES} (${encodeRecord(benchRecord(1)).length} B each)`);
console.log(`ledger append (group commit, durable): ${fmt(ledgerRate)} entries/s`);
console.log(
  `raw SQLite, 256 inserts per FULL txn:   ${fmt(raw256)} entries/s  (ledger = ${(ledgerRate / raw256).toFixed(2)}×)`,
);
console.log(
  `raw SQLite, 1 insert per FULL txn:      ${fmt(raw1)} entries/s  (ledger = ${(ledgerRate / raw1).toFixed(1)}×)`,
);
