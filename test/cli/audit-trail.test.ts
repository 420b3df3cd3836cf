import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runDemo } from '../../src/demo/run.ts';
import { runCli } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatechain-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('every recorded claim is logged; exported receipts verify offline, and only for their bundle', async () => {
  await runDemo({ dir, write: () => {} });
  const project = join(dir, 'demo-service');
  const listed = JSON.parse(
    runCli(['list', '--json', '--limit', '1000'], { cwd: project }).stdout,
  ) as unknown[];
  const checkpoint = runCli(['log', 'checkpoint', '--json'], { cwd: project });
  assert.equal(checkpoint.status, 0, checkpoint.stderr);
  assert.equal(JSON.parse(checkpoint.stdout).size, listed.length);

  const out = join(dir, 'exported');
  assert.equal(runCli(['export', '--type', 'vuln-exception', '--out', out], { cwd: project }).status, 0);
  const files = readdirSync(out).sort();
  assert.equal(files.length, 2);
  const [bundleFile, receiptFile] = files.map((f) => join(out, f)) as [string, string];
  assert.match(bundleFile, /\.sigstore\.json$/);
  assert.match(receiptFile, /\.tlog-proof$/);
  assert.match(readFileSync(receiptFile, 'utf8'), /^c2sp\.org\/tlog-proof@v1\n/);

  const vkey = runCli(['log', 'key'], { cwd: project }).stdout.trim();
  const ok = runCli(['log', 'verify', receiptFile, '--vkey', vkey, '--entry', bundleFile], { cwd: dir });
  assert.equal(ok.status, 0, ok.stderr);

  const other = join(dir, 'other.sigstore.json');
  writeFileSync(other, readFileSync(bundleFile, 'utf8').replace('"mediaType"', '"mediaType" '));
  // Whitespace does not change a bundle's canonical digest: still the logged bundle.
  assert.equal(
    runCli(['log', 'verify', receiptFile, '--vkey', vkey, '--entry', other], { cwd: dir }).status,
    0,
  );
  // Change the signature's first character (to one it is not), so this is always another bundle.
  writeFileSync(
    other,
    readFileSync(bundleFile, 'utf8').replace(
      /"sig":"(.)/,
      (_, first: string) => `"sig":"${first === 'A' ? 'B' : 'A'}`,
    ),
  );
  const wrong = runCli(['log', 'verify', receiptFile, '--vkey', vkey, '--entry', other], { cwd: dir });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /LEDGER_ENTRY_MISMATCH/);
});

test('an attestation stored while the log was unavailable is logged when it is recorded again', async () => {
  const { openStore } = await import('../../src/store/index.ts');
  const { generateKeyPair, loadSigner } = await import('../../src/attest/index.ts');
  const { recordStatement, makeStatement, receiptKey } = await import('../../src/pipeline/record.ts');
  const { openLedgerSink } = await import('../../src/pipeline/ledger-append.ts');
  const { codeScanPredicate } = await import('../helpers/predicates.ts');
  const storeDir = join(dir, 'healing-store');
  const store = await openStore({ dir: storeDir });
  const signer = loadSigner(generateKeyPair('ed25519', 'pw').privateKeyPem, 'pw');
  const statement = makeStatement(
    { digest: { sha256: 'f'.repeat(64) } },
    'https://gatechain.dev/attestation/code-scan/v1',
    codeScanPredicate(),
  );
  const failing = {
    append: () => Promise.reject(new Error('log locked')),
    appendRecord: () => Promise.reject(new Error('log locked')),
    describe: () => Promise.reject(new Error('log locked')),
    close: async () => {},
  };
  try {
    await assert.rejects(recordStatement({ store, signer, ledger: failing }, statement), /log locked/);
    const [row] = await store.findAttestations({});
    assert.ok(row, 'the bundle was stored before the log failed');
    assert.equal(await store.getMeta(receiptKey(row.id)), undefined);
    const ledger = openLedgerSink({ store: storeDir, policy: '' });
    try {
      const { recordBundle } = await import('../../src/pipeline/record.ts');
      const again = await recordBundle(
        { store, ledger },
        JSON.parse(row.bundleJson),
        statement,
        signer.keyId,
      );
      assert.equal(again.inserted, false);
      assert.equal(again.logIndex, 0);
      assert.match((await store.getMeta(receiptKey(row.id))) ?? '', /^c2sp\.org\/tlog-proof@v1/);
      // Logged once: a third recording neither stores nor logs.
      const third = await recordBundle(
        { store, ledger },
        JSON.parse(row.bundleJson),
        statement,
        signer.keyId,
      );
      assert.equal(third.logIndex, undefined);
    } finally {
      await ledger?.close();
    }
  } finally {
    await store.close();
  }
});
