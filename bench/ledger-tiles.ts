/**
 * Tile reads per second over HTTP (autocannon, 10 connections) from the Fastify read API on a
 * 1M-entry ledger: random full level-0 hash tiles (8 KiB each) and random entry bundles, next to
 * the raw primitive (the same range reads straight from SQLite, no HTTP) in the same run.
 * Run: node bench/ledger-tiles.ts [entries] [seconds]
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { registerLedgerRoutes } from '../src/ledger/http.ts';
import { tilePath } from '../src/ledger/tiles.ts';
import { buildFixture } from './ledger-fixture.ts';

const SIZE = Number(process.argv[2] ?? 1_000_000);
const SECONDS = Number(process.argv[3] ?? 8);
// autocannon ships no type declarations: describe the little we use and import it untyped.
interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
interface LoadRequest {
  path?: string;
  [key: string]: unknown;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: { setupRequest: (request: LoadRequest) => LoadRequest }[];
}) => Promise<LoadResult>;
const autocannonModule: string = 'autocannon';
const autocannon = ((await import(autocannonModule)) as { default: Autocannon }).default;

const storeDir = await buildFixture(SIZE);
const fullTiles = Math.floor(SIZE / 256);

const app = Fastify();
await registerLedgerRoutes(app, { storeDir });
const address = await app.listen({ port: 0, host: '127.0.0.1' });

async function run(kind: 'hash' | 'entries'): Promise<LoadResult> {
  return autocannon({
    url: address,
    connections: 10,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (request) => {
          const index = Math.floor(Math.random() * fullTiles);
          const path = tilePath({ level: kind === 'hash' ? 0 : 'entries', index, width: 256 });
          return { ...request, path: `/log/${path}` };
        },
      },
    ],
  });
}

const hash = await run('hash');
const entries = await run('entries');
await app.close();

const db = new Database(join(storeDir, 'ledger.db'), { readonly: true });
const fullTile = db.prepare('SELECT data FROM full_tiles WHERE id = ?').pluck();
const nodeRange = db.prepare('SELECT hash FROM nodes WHERE id >= ? AND id < ? ORDER BY id').pluck();
function rawRate(read: (index: number) => unknown): number {
  const started = performance.now();
  let reads = 0;
  while (performance.now() - started < 2000) {
    if (!read(Math.floor(Math.random() * fullTiles))) throw new Error('missing tile');
    reads++;
  }
  return reads / ((performance.now() - started) / 1000);
}
const rawTileRate = rawRate((index) => fullTile.get(index));
const rawRangeRate = rawRate((index) =>
  Buffer.concat(nodeRange.all(index * 256, index * 256 + 256) as Buffer[]),
);
db.close();

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const line = (name: string, result: LoadResult) =>
  `${name}: ${fmt(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`;
console.log(`tree: ${fmt(SIZE)} entries, ${SECONDS} s per run, 10 connections`);
console.log(line('hash tiles (8 KiB)', hash));
console.log(line('entry bundles (~80 KiB)', entries));
console.log(
  `raw SQLite, stored full tile (1 row, no HTTP, 1 thread): ${fmt(rawTileRate)} reads/s (HTTP = ${(hash.requests.average / rawTileRate).toFixed(2)}×)`,
);
console.log(`raw SQLite, tile as a 256-row node range: ${fmt(rawRangeRate)} reads/s`);
