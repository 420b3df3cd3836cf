/**
 * Store throughput and lookup latency, side by side with raw better-sqlite3 in one run.
 *  1. putAttestation (Kysely, one transaction per attestation: envelope + attestation + subjects)
 *     next to raw better-sqlite3 prepared statements doing the same three inserts in one
 *     transaction per attestation, on the same schema and pragmas → ratio. A third contender,
 *     raw with synchronous=FULL, shows what the NORMAL durability choice buys.
 *  2. findAttestations by subject digest at 100k attestations next to the same indexed SELECT
 *     through a raw prepared statement with the same result mapping → latency p50/p99, ratio.
 * Optional: GATECHAIN_BENCH_PG_URL=postgres://… adds putAttestation throughput on PostgreSQL.
 * Run: node bench/store-insert.ts [insert-count] [lookup-rows]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type NewAttestation, openStore } from '../src/store/index.ts';

const INSERTS = Number(process.argv[2] ?? 6000);
const LOOKUP_ROWS = Number(process.argv[3] ?? 100_000);
const LOOKUPS = 2000;
const root = mkdtempSync(join(tmpdir(), 'gatechain-bench-store-'));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const padding = 'x'.repeat(2800); // typical DSSE bundle: ~3 KB of JSON

function record(seed: string, i: number): NewAttestation {
  const bundleJson = JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    seed,
    padding,
  });
  const subjects: NewAttestation['subjects'] = [
    { name: `artifact-${i}`, digest: { sha256: sha256(`s-${seed}`) } },
  ];
  if (i % 2 === 0) subjects.push({ digest: { gitCommit: sha256(`c-${seed}`).slice(0, 40) } });
  return {
    bundleJson,
    bundleDigest: sha256(bundleJson),
    subjects,
    predicateType: ['https://slsa.dev/provenance/v1', 'https://in-toto.io/attestation/vulns/v0.2'][
      i % 2
    ] as string,
    signerKeyId: `key-${i % 7}`,
    gate: 1 + (i % 5),
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    source: 'bench',
  };
}

/** The store's own schema, created by the store, then written through raw prepared statements. */
async function rawDatabase(dir: string, synchronous = 'NORMAL'): Promise<Database.Database> {
  const store = await openStore({ dir });
  await store.close();
  const db = new Database(join(dir, 'gatechain.db'), { timeout: 15_000 });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  return db;
}

function rawInserter(db: Database.Database): (r: NewAttestation) => void {
  const envelope = db.prepare(
    'insert into gatechain_envelopes (digest, bytes, size, created_at) values (?, ?, ?, ?) on conflict (digest) do nothing',
  );
  const attestation = db.prepare(
    `insert into gatechain_attestations (id, envelope_digest, predicate_type, signer_key_id, gate, created_at, source, subjects_json)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
  );
  const subject = db.prepare(
    'insert into gatechain_subjects (attestation_id, algorithm, hex) values (?, ?, ?)',
  );
  return db.transaction((r: NewAttestation) => {
    const bytes = Buffer.from(r.bundleJson, 'utf8');
    envelope.run(r.bundleDigest, bytes, bytes.length, r.createdAt);
    const { changes } = attestation.run(
      r.bundleDigest,
      r.bundleDigest,
      r.predicateType,
      r.signerKeyId,
      r.gate ?? null,
      r.createdAt,
      r.source ?? null,
      JSON.stringify(r.subjects),
    );
    if (changes === 0) return;
    for (const s of r.subjects) {
      for (const [algorithm, hex] of Object.entries(s.digest)) subject.run(r.bundleDigest, algorithm, hex);
    }
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

async function insertComparison(): Promise<void> {
  // Interleaved rounds: each contender inserts a fresh slice into its own store, so load from
  // other processes on this shared machine hits both alike.
  const rounds = 6;
  const perRound = Math.floor(INSERTS / rounds);
  const store = await openStore({ dir: join(root, 'kysely') });
  const raw = await rawDatabase(join(root, 'raw'));
  const insertRaw = rawInserter(raw);
  const full = await rawDatabase(join(root, 'raw-full'), 'FULL');
  const insertFull = rawInserter(full);
  for (let i = 0; i < 300; i++) {
    await store.putAttestation(record(`warm-k-${i}`, i));
    insertRaw(record(`warm-r-${i}`, i));
    insertFull(record(`warm-f-${i}`, i));
  }
  const storeRates: number[] = [];
  const rawRates: number[] = [];
  const fullRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const batch = Array.from({ length: perRound }, (_, i) => record(`r${round}-${i}`, i));
    let started = performance.now();
    for (const r of batch) await store.putAttestation(r);
    storeRates.push(perRound / ((performance.now() - started) / 1000));
    started = performance.now();
    for (const r of batch) insertRaw(r);
    rawRates.push(perRound / ((performance.now() - started) / 1000));
    started = performance.now();
    for (const r of batch) insertFull(r);
    fullRates.push(perRound / ((performance.now() - started) / 1000));
  }
  await store.close();
  raw.close();
  full.close();
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const storeRate = median(storeRates);
  const rawRate = median(rawRates);
  console.log(`insert: ${rounds} interleaved rounds of ${perRound} attestations, one transaction each`);
  console.log(`  store.putAttestation (Kysely)          ${storeRate.toFixed(0).padStart(8)} /s`);
  console.log(`  raw better-sqlite3, same statements    ${rawRate.toFixed(0).padStart(8)} /s`);
  console.log(`  ratio store/raw                        ${(storeRate / rawRate).toFixed(2).padStart(8)}`);
  const fullRate = median(fullRates);
  console.log(
    `  (raw with synchronous=FULL instead     ${fullRate.toFixed(0).padStart(8)} /s, ${(rawRate / fullRate).toFixed(1)}x slower than NORMAL)`,
  );
}

async function lookupComparison(): Promise<void> {
  const dir = join(root, 'lookup');
  const raw = await rawDatabase(dir);
  const insertRaw = rawInserter(raw);
  const fill = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insertRaw(record(`l-${i}`, i));
  });
  const started = performance.now();
  for (let i = 0; i < LOOKUP_ROWS; i += 1000) fill(i, Math.min(LOOKUP_ROWS, i + 1000));
  const fillSeconds = (performance.now() - started) / 1000;
  raw.pragma('optimize');
  const select = raw.prepare(
    `select a.id, e.bytes, a.subjects_json, a.predicate_type, a.signer_key_id, a.gate, a.created_at, a.source
     from gatechain_attestations a join gatechain_envelopes e on e.digest = a.envelope_digest
     where a.id in (select attestation_id from gatechain_subjects where algorithm = ? and hex = ?)
     order by a.created_at desc, a.id desc`,
  );
  const store = await openStore({ dir });
  const targets = Array.from({ length: LOOKUPS }, (_, i) => Math.floor((i * 7919) % LOOKUP_ROWS));
  const storeTimes: number[] = [];
  const rawTimes: number[] = [];
  for (const [n, i] of targets.entries()) {
    const hex = sha256(`s-l-${i}`);
    // Alternate which contender goes first so cache warmth favours neither.
    const runStore = async () => {
      const t = performance.now();
      const found = await store.findAttestations({ subjectDigest: `sha256:${hex}` });
      storeTimes.push(performance.now() - t);
      if (found.length !== 1) throw new Error(`expected one match for row ${i}, got ${found.length}`);
    };
    const runRaw = () => {
      const t = performance.now();
      // The same result mapping the store does: bundle bytes to text, subjects parsed.
      const rows = (select.all('sha256', hex) as { bytes: Buffer; subjects_json: string }[]).map((row) => ({
        ...row,
        bundleJson: row.bytes.toString('utf8'),
        subjects: JSON.parse(row.subjects_json) as unknown,
      }));
      rawTimes.push(performance.now() - t);
      if (rows.length !== 1) throw new Error(`raw: expected one match for row ${i}`);
    };
    if (n % 2 === 0) {
      await runStore();
      runRaw();
    } else {
      runRaw();
      await runStore();
    }
  }
  await store.close();
  raw.close();
  storeTimes.sort((a, b) => a - b);
  rawTimes.sort((a, b) => a - b);
  const p50Store = percentile(storeTimes, 0.5);
  const p50Raw = percentile(rawTimes, 0.5);
  console.log(
    `lookup: ${LOOKUP_ROWS} attestations (filled raw in ${fillSeconds.toFixed(1)} s), ${LOOKUPS} lookups by sha256 subject`,
  );
  console.log(
    `  store.findAttestations p50 ${(p50Store * 1000).toFixed(0)} µs, p99 ${(percentile(storeTimes, 0.99) * 1000).toFixed(0)} µs`,
  );
  console.log(
    `  raw prepared SELECT    p50 ${(p50Raw * 1000).toFixed(0)} µs, p99 ${(percentile(rawTimes, 0.99) * 1000).toFixed(0)} µs`,
  );
  console.log(`  ratio raw/store (p50)  ${(p50Raw / p50Store).toFixed(2)}`);
}

async function postgresInsert(url: string): Promise<void> {
  const schema = `gc_bench_${process.pid}`;
  const store = await openStore({ url: `${url}${url.includes('?') ? '&' : '?'}schema=${schema}` });
  const count = Math.min(INSERTS, 3000);
  const batch = Array.from({ length: count }, (_, i) => record(`pg-${i}`, i));
  const started = performance.now();
  for (const r of batch) await store.putAttestation(r);
  const rate = count / ((performance.now() - started) / 1000);
  const t = performance.now();
  for (let i = 0; i < 500; i++)
    await store.findAttestations({ subjectDigest: `sha256:${sha256(`s-pg-${i}`)}` });
  const lookupMs = (performance.now() - t) / 500;
  await store.close();
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
  console.log(
    `postgres: putAttestation ${rate.toFixed(0)} /s (${count} sequential), findAttestations mean ${lookupMs.toFixed(2)} ms at ${count} rows`,
  );
}

try {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  await insertComparison();
  await lookupComparison();
  const pgUrl = process.env['GATECHAIN_BENCH_PG_URL'];
  if (pgUrl) await postgresInsert(pgUrl);
} finally {
  rmSync(root, { recursive: true, force: true });
}
