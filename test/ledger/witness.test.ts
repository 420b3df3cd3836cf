import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { formatCheckpoint, verifyCheckpoint } from '../../src/ledger/checkpoint.ts';
import { registerLedgerRoutes } from '../../src/ledger/http.ts';
import { openLedger } from '../../src/ledger/ledger.ts';
import { signNote } from '../../src/ledger/note.ts';
import {
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  KEY_TYPE_COSIGNATURE_V1,
  parseVerifierKey,
  publicPart,
} from '../../src/ledger/note-keys.ts';
import { verifyReceipt } from '../../src/ledger/receipt.ts';
import { encodeRecord } from '../../src/ledger/records.ts';
import { signerFor } from '../../src/ledger/signers.ts';
import { formatAddCheckpoint } from '../../src/ledger/witness-protocol.ts';
import { breakGlass } from './helpers/records.ts';
import { makeLeaves } from './helpers/reference.ts';
import { tempDir as makeTempDir } from './helpers/temp.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function tempDir(): string {
  return makeTempDir('gatechain-witness-');
}

const logKey = generateSignerKey('example.com/witnessed-log');
const logVkey = formatVerifierKey(publicPart(logKey));

async function witnessServer(logs: string[]): Promise<{ app: FastifyInstance; url: string; vkey: string }> {
  const witnessKey = generateSignerKey(
    `witness.example/w${Math.random().toString(16).slice(2, 8)}`,
    KEY_TYPE_COSIGNATURE_V1,
  );
  const app = Fastify();
  await registerLedgerRoutes(app, {
    storeDir: tempDir(),
    witness: { logs: logs.map((vkey) => ({ vkey })), signerKey: formatSignerKey(witnessKey) },
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.close());
  return { app, url: `${address}/log`, vkey: formatVerifierKey(publicPart(witnessKey)) };
}

test('one gatechain instance cosigns another: checkpoints are published only with the quorum, receipts carry it', async () => {
  const w1 = await witnessServer([logVkey]);
  const w2 = await witnessServer([logVkey]);
  const ledger = await openLedger({
    storeDir: tempDir(),
    signerKey: formatSignerKey(logKey),
    witnesses: { quorum: 2, witnesses: [w1, w2].map(({ url, vkey }) => ({ url, vkey })) },
  });
  cleanups.push(() => ledger.close());
  await ledger.appendMany(Array.from({ length: 40 }, (_, i) => breakGlass(i)));
  const checkpoint = await ledger.checkpoint();
  assert.equal(checkpoint.size, 40);
  const policy = { quorum: 2, witnesses: [parseVerifierKey(w1.vkey), parseVerifierKey(w2.vkey)] };
  assert.equal(verifyCheckpoint(checkpoint.note, logVkey, { policy }).cosigners.length, 2);
  // Later checkpoints go through the witnesses' consistency checks from their last size.
  await ledger.appendMany(Array.from({ length: 300 }, (_, i) => breakGlass(`more ${i}`)));
  const receipt = await ledger.receipt(339);
  const verified = verifyReceipt(receipt, encodeRecord(breakGlass('more 299')), logVkey, { policy });
  assert.equal(verified.checkpoint.size, 340);
  assert.throws(
    () =>
      verifyReceipt(receipt, undefined, logVkey, {
        policy: {
          ...policy,
          witnesses: [
            parseVerifierKey(w1.vkey),
            parseVerifierKey(
              formatVerifierKey(publicPart(generateSignerKey('x.example/w', KEY_TYPE_COSIGNATURE_V1))),
            ),
          ],
        },
      }),
    {
      code: 'LEDGER_WITNESS_QUORUM',
    },
  );
});

test('without the quorum nothing is published', async () => {
  const w1 = await witnessServer([logVkey]);
  const otherLogKey = generateSignerKey('example.com/other-log');
  const ledger = await openLedger({
    storeDir: tempDir(),
    signerKey: formatSignerKey(otherLogKey),
    witnesses: {
      quorum: 2,
      timeoutMs: 1000,
      witnesses: [
        { url: w1.url, vkey: w1.vkey },
        {
          url: 'http://127.0.0.1:9/log',
          vkey: formatVerifierKey(publicPart(generateSignerKey('down.example/w', KEY_TYPE_COSIGNATURE_V1))),
        },
      ],
    },
  });
  cleanups.push(() => ledger.close());
  await ledger.append(breakGlass(1));
  await assert.rejects(ledger.checkpoint(), { code: 'LEDGER_WITNESS_QUORUM' });
  await assert.rejects(ledger.receipt(0), { code: 'LEDGER_WITNESS_QUORUM' });
  assert.equal(await ledger.latestPublished(), undefined);
});

test('the add-checkpoint endpoint follows tlog-witness: 404, 403, 400, 409, 422 and 200', async () => {
  const { app, vkey } = await witnessServer([logVkey]);
  const leaves = makeLeaves(10);
  const { rootFromLeafHashes, hashRanges, consistencyRanges, referenceRootFor } = await rootsHelper(leaves);
  const sign = (size: number, root = rootFromLeafHashes(leaves.slice(0, size)), key = logKey) =>
    signNote(formatCheckpoint({ origin: key.name, size, root, extensions: [] }), [signerFor(key)]);
  const post = (body: string) =>
    app.inject({
      method: 'POST',
      url: '/log/add-checkpoint',
      payload: body,
      headers: { 'content-type': 'text/plain' },
    });

  const unknown = generateSignerKey('example.com/unknown');
  assert.equal(
    (await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: sign(3, undefined, unknown) })))
      .statusCode,
    404,
  );
  const impostor = generateSignerKey('example.com/witnessed-log');
  assert.equal(
    (await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: sign(3, undefined, impostor) })))
      .statusCode,
    403,
  );
  assert.equal(
    (await post(formatAddCheckpoint({ oldSize: 5, proof: [], checkpoint: sign(3) }))).statusCode,
    400,
  );
  assert.equal((await post('garbage')).statusCode, 400);

  const first = await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: sign(4) }));
  assert.equal(first.statusCode, 200);
  const cosigned = `${sign(4)}${first.body}`;
  assert.equal(
    verifyCheckpoint(cosigned, logVkey, { policy: { quorum: 1, witnesses: [parseVerifierKey(vkey)] } })
      .cosigners.length,
    1,
  );

  const stale = await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: sign(6) }));
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.headers['content-type'], 'text/x.tlog.size');
  assert.equal(stale.body, '4\n');

  const fork = await post(
    formatAddCheckpoint({ oldSize: 4, proof: [], checkpoint: sign(4, Buffer.alloc(32, 9)) }),
  );
  assert.equal(fork.statusCode, 409, 'same size, different root');

  const proof = hashRanges(consistencyRanges(4, 8), referenceRootFor);
  const wrongProof = proof.map((hash, i) => (i === 0 ? Buffer.alloc(32) : hash));
  assert.equal(
    (await post(formatAddCheckpoint({ oldSize: 4, proof: wrongProof, checkpoint: sign(8) }))).statusCode,
    422,
  );
  const forkedRoot = rootFromLeafHashes([...leaves.slice(0, 3), Buffer.alloc(32, 1), ...leaves.slice(4, 8)]);
  assert.equal(
    (await post(formatAddCheckpoint({ oldSize: 4, proof, checkpoint: sign(8, forkedRoot) }))).statusCode,
    422,
  );
  assert.equal((await post(formatAddCheckpoint({ oldSize: 4, proof, checkpoint: sign(8) }))).statusCode, 200);
  // Rollback to an older size is refused with the current size.
  const rollback = await post(formatAddCheckpoint({ oldSize: 4, proof: [], checkpoint: sign(4) }));
  assert.equal(rollback.statusCode, 409);
  assert.equal(rollback.body, '8\n');
});

async function rootsHelper(leaves: Buffer[]) {
  const merkle = await import('../../src/ledger/merkle.ts');
  const { referenceRoot } = await import('./helpers/reference.ts');
  return {
    rootFromLeafHashes: merkle.rootFromLeafHashes,
    hashRanges: merkle.hashRanges,
    consistencyRanges: merkle.consistencyRanges,
    referenceRootFor: ({ height, index }: { height: number; index: number }) =>
      referenceRoot(leaves.slice(index * 2 ** height, (index + 1) * 2 ** height)),
  };
}

test('property: arbitrary add-checkpoint bodies get a protocol status, never an exception', async () => {
  const { Witness } = await import('../../src/ledger/witness.ts');
  const fc = (await import('fast-check')).default;
  const witness = new Witness({
    storeDir: tempDir(),
    logs: [{ vkey: logVkey }],
    name: 'witness.example/fuzz',
  });
  try {
    const valid = formatAddCheckpoint({
      oldSize: 0,
      proof: [],
      checkpoint: signNote(
        formatCheckpoint({ origin: logKey.name, size: 1, root: makeLeaves(1)[0] as Buffer, extensions: [] }),
        [signerFor(logKey)],
      ),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constant(valid),
          fc.nat(valid.length).map((n) => valid.slice(0, n)),
        ),
        (body) => {
          const response = witness.addCheckpoint(body);
          assert.ok(
            [200, 400, 403, 404, 409, 422].includes(response.status),
            `${response.status} ${response.body}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  } finally {
    witness.close();
  }
});

test('witness settings are validated: quorum range, key types, duplicates, JSON shape', async () => {
  const { parseWitnessConfig } = await import('../../src/ledger/witness-config.ts');
  const fc = (await import('fast-check')).default;
  const cosigner = formatVerifierKey(publicPart(generateSignerKey('w.example/a', KEY_TYPE_COSIGNATURE_V1)));
  const config = (quorum: number, vkeys: string[]) =>
    JSON.stringify({
      witness: { quorum, witnesses: vkeys.map((vkey) => ({ vkey, url: 'https://w.example/log' })) },
    });
  assert.equal(parseWitnessConfig(config(1, [cosigner]), 'ledger.json')?.quorum, 1);
  assert.equal(parseWitnessConfig('{}', 'ledger.json'), undefined);
  assert.throws(() => parseWitnessConfig(config(2, [cosigner]), 'ledger.json'), {
    code: 'LEDGER_CONFIG_INVALID',
  });
  assert.throws(() => parseWitnessConfig(config(1, [logVkey]), 'ledger.json'), {
    code: 'LEDGER_CONFIG_INVALID',
  });
  assert.throws(() => parseWitnessConfig(config(1, [cosigner, cosigner]), 'ledger.json'), {
    code: 'LEDGER_CONFIG_INVALID',
  });
  assert.throws(() => parseWitnessConfig('{"witness": {"quorum": 1, "witnesses": []}}', 'ledger.json'), {
    code: 'LEDGER_CONFIG_INVALID',
  });
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
      try {
        parseWitnessConfig(text, 'ledger.json');
      } catch (error) {
        assert.ok((error as { code?: string }).code, String(error));
      }
    }),
  );
});

test('the witness role can be switched on from ledger.json (witnessFor), as gatechain serve would', async () => {
  const { writeFileSync } = await import('node:fs');
  const storeDir = tempDir();
  writeFileSync(
    join(storeDir, 'ledger.json'),
    JSON.stringify({ witnessFor: { name: 'witness.example/from-config', logs: [{ vkey: logVkey }] } }),
  );
  const app = Fastify();
  await registerLedgerRoutes(app, { storeDir });
  cleanups.push(() => app.close());
  const key = await app.inject('/log/witness-key');
  assert.equal(key.statusCode, 200);
  assert.match(key.body, /^witness\.example\/from-config\+[0-9a-f]{8}\+/);
  const checkpoint = signNote(
    formatCheckpoint({ origin: logKey.name, size: 1, root: makeLeaves(1)[0] as Buffer, extensions: [] }),
    [signerFor(logKey)],
  );
  const response = await app.inject({
    method: 'POST',
    url: '/log/add-checkpoint',
    payload: formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint }),
    headers: { 'content-type': 'text/plain' },
  });
  assert.equal(response.statusCode, 200);
  const policy = { quorum: 1, witnesses: [parseVerifierKey(key.body.trim())] };
  assert.equal(verifyCheckpoint(`${checkpoint}${response.body}`, logVkey, { policy }).cosigners.length, 1);
});

test('the newest checkpoint gets published in the background even when appends stop', async () => {
  const w1 = await witnessServer([logVkey]);
  const ledger = await openLedger({
    storeDir: tempDir(),
    signerKey: formatSignerKey(logKey),
    witnesses: { quorum: 1, witnesses: [{ url: w1.url, vkey: w1.vkey }] },
  });
  cleanups.push(() => ledger.close());
  // Several commits in a row while a publication round is in flight.
  for (let i = 0; i < 5; i++) await ledger.append(breakGlass(`bg ${i}`));
  for (let attempt = 0; attempt < 100 && (await ledger.latestPublished())?.size !== 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const published = await ledger.latestPublished();
  assert.equal(published?.size, 5);
  assert.equal(
    verifyCheckpoint(published?.published as string, logVkey, {
      policy: { quorum: 1, witnesses: [parseVerifierKey(w1.vkey)] },
    }).checkpoint.size,
    5,
  );
});
