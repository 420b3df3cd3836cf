import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { exportLedger } from '../../src/ledger/export.ts';
import { registerLedgerRoutes } from '../../src/ledger/http.ts';
import { type Ledger, openLedger } from '../../src/ledger/ledger.ts';
import { monitorOnce } from '../../src/ledger/monitor.ts';
import { formatSignerKey, generateSignerKey } from '../../src/ledger/note-keys.ts';
import { directoryTileFetcher, httpTileFetcher, type TileFetcher } from '../../src/ledger/tile-fetcher.ts';
import { attestation, breakGlass } from './helpers/records.ts';
import { tempDir as makeTempDir } from './helpers/temp.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function tempDir(): string {
  return makeTempDir('gatechain-ledger-http-');
}

async function serve(storeDir: string): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  await registerLedgerRoutes(app, { storeDir });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.close());
  return { app, url: `${address}/log` };
}

async function ledgerWith(
  storeDir: string,
  signerKey: string,
  records: Record<string, unknown>[],
): Promise<Ledger> {
  const ledger = await openLedger({ storeDir, signerKey });
  cleanups.push(() => ledger.close());
  await ledger.appendMany(records);
  return ledger;
}

/** A fetcher that corrupts one resource on its way to the client. */
function tampering(inner: TileFetcher, path: string, change: (bytes: Buffer) => Buffer): TileFetcher {
  return {
    location: inner.location,
    async get(requested, maxBytes) {
      const bytes = await inner.get(requested, maxBytes);
      return requested === path && bytes ? change(Buffer.from(bytes)) : bytes;
    },
  };
}

const flipFirstByte = (bytes: Buffer) => {
  bytes[0] = (bytes[0] as number) ^ 1;
  return bytes;
};

const key = generateSignerKey('example.com/gatechain-log');
const signerKey = formatSignerKey(key);

test('the read API serves checkpoint, tiles and bundles with the tlog-tiles content types', async () => {
  const storeDir = tempDir();
  const ledger = await ledgerWith(
    storeDir,
    signerKey,
    Array.from({ length: 300 }, (_, i) => breakGlass(i)),
  );
  const { app } = await serve(storeDir);
  const checkpoint = await app.inject('/log/checkpoint');
  assert.equal(checkpoint.statusCode, 200);
  assert.match(String(checkpoint.headers['content-type']), /^text\/plain; charset=utf-8/);
  assert.equal(checkpoint.body, (await ledger.checkpoint()).note);
  const tile = await app.inject('/log/tile/0/000');
  assert.equal(tile.statusCode, 200);
  assert.equal(tile.headers['content-type'], 'application/octet-stream');
  assert.match(String(tile.headers['cache-control']), /immutable/);
  assert.equal(tile.rawPayload.length, 8192);
  assert.equal((await app.inject('/log/tile/0/001.p/44')).rawPayload.length, 44 * 32);
  assert.equal((await app.inject('/log/tile/1/000.p/1')).rawPayload.length, 32);
  const bundle = await app.inject('/log/tile/entries/001.p/44');
  assert.equal(bundle.statusCode, 200);
  assert.equal(bundle.headers['content-encoding'], undefined);
  const gzipped = await app.inject({
    url: '/log/tile/entries/001.p/44',
    headers: { 'accept-encoding': 'gzip, identity' },
  });
  assert.equal(gzipped.headers['content-encoding'], 'gzip');
  assert.deepEqual(gunzipSync(gzipped.rawPayload), bundle.rawPayload);
  assert.ok(gzipped.rawPayload.length < bundle.rawPayload.length);
  assert.equal((await app.inject('/log/tile/0/001.p/45')).statusCode, 404);
  assert.equal((await app.inject('/log/tile/0/001')).statusCode, 404);
  assert.equal((await app.inject('/log/tile/0/1')).statusCode, 400);
  assert.equal((await app.inject('/log/tile/99/000')).statusCode, 400);
  assert.equal((await app.inject({ method: 'POST', url: '/log/add-checkpoint', body: 'x' })).statusCode, 404);
});

test('the monitor follows a log over HTTP, verifying consistency and every tile and entry it reads', async () => {
  const storeDir = tempDir();
  const ledger = await ledgerWith(
    storeDir,
    signerKey,
    Array.from({ length: 70 }, (_, i) => breakGlass(i)),
  );
  const { url } = await serve(storeDir);
  const fetcher = httpTileFetcher(url);
  const vkey = ledger.verifierKey;
  const first = await monitorOnce({ fetcher, vkey });
  assert.equal(first.state.size, 70);
  assert.deepEqual(first.kinds, { 'break-glass': 70 });
  await ledger.appendMany(Array.from({ length: 600 }, (_, i) => attestation(i)));
  const second = await monitorOnce({ fetcher, vkey, state: first.state });
  assert.equal(second.previousSize, 70);
  assert.equal(second.state.size, 670);
  assert.deepEqual(second.kinds, { attestation: 600 });
  const same = await monitorOnce({ fetcher, vkey, state: second.state });
  assert.equal(same.newEntries, 0);
  // Logs may delete a partial tile once the full one exists: a monitor that verifies an older
  // checkpoint then reads the start of the full tile and of the full bundle instead.
  await ledger.appendMany(Array.from({ length: 98 }, (_, i) => breakGlass(`fill ${i}`)));
  const stale: TileFetcher = {
    location: fetcher.location,
    get: (path, maxBytes) => {
      if (path === 'checkpoint') return Promise.resolve(Buffer.from(second.state.checkpoint));
      if (/^tile\/(0|entries)\/.*\.p\//.test(path)) return Promise.resolve(undefined);
      return fetcher.get(path, maxBytes);
    },
  };
  const viaFull = await monitorOnce({ fetcher: stale, vkey, state: first.state });
  assert.equal(viaFull.state.size, 670);
  assert.deepEqual(viaFull.kinds, { attestation: 600 });

  await assert.rejects(
    monitorOnce({ fetcher: tampering(fetcher, 'tile/0/001', flipFirstByte), vkey, state: first.state }),
    {
      code: 'LEDGER_TILE_MISMATCH',
    },
  );
  await assert.rejects(monitorOnce({ fetcher: tampering(fetcher, 'tile/1/000.p/3', flipFirstByte), vkey }), {
    code: 'LEDGER_TILE_MISMATCH',
  });
  await assert.rejects(monitorOnce({ fetcher: tampering(fetcher, 'tile/0/002', flipFirstByte), vkey }), {
    code: 'LEDGER_TILE_MISMATCH',
  });
  const changeEntry = (bytes: Buffer) => {
    bytes[10] = (bytes[10] as number) ^ 1;
    return bytes;
  };
  await assert.rejects(
    monitorOnce({ fetcher: tampering(fetcher, 'tile/entries/001', changeEntry), vkey, state: first.state }),
    {
      code: 'LEDGER_BUNDLE_MISMATCH',
    },
  );
  const forgeSize = (bytes: Buffer) => Buffer.from(bytes.toString().replace('\n768\n', '\n769\n'));
  await assert.rejects(monitorOnce({ fetcher: tampering(fetcher, 'checkpoint', forgeSize), vkey }), {
    code: 'LEDGER_NOTE_BAD_SIGNATURE',
  });
  const otherKey = formatSignerKey(generateSignerKey('example.com/gatechain-log'));
  const impostor = await openLedger({ storeDir: tempDir(), signerKey: otherKey });
  cleanups.push(() => impostor.close());
  await assert.rejects(monitorOnce({ fetcher, vkey: impostor.verifierKey }), {
    code: 'LEDGER_NOTE_UNVERIFIED',
  });
  await assert.rejects(monitorOnce({ fetcher, vkey, state: { ...second.state, size: 800 } }), {
    code: 'LEDGER_ROLLBACK',
  });
});

test('the monitor detects a forked log: same size with another root, or a larger tree that rewrote history', async () => {
  const honest = Array.from({ length: 300 }, (_, i) => breakGlass(`h${i}`));
  const forked = [...honest.slice(0, 150), ...Array.from({ length: 150 }, (_, i) => breakGlass(`f${i}`))];
  const dirA = tempDir();
  const dirB = tempDir();
  const a = await ledgerWith(dirA, signerKey, honest);
  const b = await ledgerWith(dirB, signerKey, forked);
  const serverA = await serve(dirA);
  const serverB = await serve(dirB);
  const vkey = a.verifierKey;
  const seenA = await monitorOnce({ fetcher: httpTileFetcher(serverA.url), vkey });
  // Each view verifies on its own: only the monitor's memory exposes the fork.
  await monitorOnce({ fetcher: httpTileFetcher(serverB.url), vkey });
  await assert.rejects(monitorOnce({ fetcher: httpTileFetcher(serverB.url), vkey, state: seenA.state }), {
    code: 'LEDGER_FORK_DETECTED',
  });
  await b.appendMany(Array.from({ length: 100 }, (_, i) => breakGlass(`g${i}`)));
  await assert.rejects(monitorOnce({ fetcher: httpTileFetcher(serverB.url), vkey, state: seenA.state }), {
    code: 'LEDGER_FORK_DETECTED',
  });
  await a.appendMany(Array.from({ length: 100 }, (_, i) => breakGlass(`n${i}`)));
  const grown = await monitorOnce({ fetcher: httpTileFetcher(serverA.url), vkey, state: seenA.state });
  assert.equal(grown.state.size, 400);
});

test('an export is a static tlog-tiles log the monitor accepts, and tampering with its files is caught', async () => {
  const storeDir = tempDir();
  const ledger = await ledgerWith(
    storeDir,
    signerKey,
    Array.from({ length: 520 }, (_, i) => breakGlass(i)),
  );
  const dir = tempDir();
  const first = await exportLedger(ledger, dir, { verifierKey: ledger.verifierKey });
  assert.equal(first.size, 520);
  const result = await monitorOnce({
    fetcher: directoryTileFetcher(dir),
    vkey: readFileSync(join(dir, 'vkey'), 'utf8').trim(),
  });
  assert.equal(result.state.size, 520);
  assert.equal(readFileSync(join(dir, 'checkpoint'), 'utf8'), (await ledger.checkpoint()).note);
  assert.ok(
    readFileSync(join(dir, 'receipts', '519.tlog-proof'), 'utf8').startsWith('c2sp.org/tlog-proof@v1\n'),
  );
  await ledger.appendMany(Array.from({ length: 10 }, (_, i) => breakGlass(`more ${i}`)));
  const second = await exportLedger(ledger, dir, { receipts: false });
  assert.equal(second.kept, 4, 'full tiles and bundles already exported are kept');
  const followed = await monitorOnce({
    fetcher: directoryTileFetcher(dir),
    vkey: ledger.verifierKey,
    state: result.state,
  });
  assert.equal(followed.state.size, 530);
  const copy = tempDir();
  cpSync(dir, copy, { recursive: true });
  const tileFile = join(copy, 'tile', '0', '000');
  const bytes = readFileSync(tileFile);
  bytes[100] = (bytes[100] as number) ^ 0x80;
  writeFileSync(tileFile, bytes);
  // A monitor reads only what it needs: from state 520 this tile is not read, from scratch it is.
  await monitorOnce({ fetcher: directoryTileFetcher(copy), vkey: ledger.verifierKey, state: result.state });
  await assert.rejects(monitorOnce({ fetcher: directoryTileFetcher(copy), vkey: ledger.verifierKey }), {
    code: 'LEDGER_TILE_MISMATCH',
  });
});
