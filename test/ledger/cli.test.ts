import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLedger } from '../../src/ledger/ledger.ts';
import { sha256 } from '../../src/ledger/merkle.ts';
import { attestation, breakGlass } from './helpers/records.ts';
import { tempDir } from './helpers/temp.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

function gatechain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test('log key, checkpoint, proof, verify, export and monitor work end to end', async () => {
  const store = tempDir('gatechain-log-cli-');
  const key = await gatechain(['log', 'key', '--store', store, '--origin', 'example.com/cli-log']);
  assert.equal(key.code, 0, key.stderr);
  const vkey = key.stdout.trim();
  assert.match(vkey, /^example\.com\/cli-log\+[0-9a-f]{8}\+/);
  const ledger = await openLedger({ storeDir: store });
  assert.equal(ledger.verifierKey, vkey);
  await ledger.appendMany([...Array.from({ length: 30 }, (_, i) => breakGlass(i)), attestation(7)]);
  await ledger.close();

  const checkpoint = await gatechain(['log', 'checkpoint', '--store', store, '--json']);
  assert.equal(checkpoint.code, 0, checkpoint.stderr);
  assert.equal(JSON.parse(checkpoint.stdout).size, 31);

  const digest = `sha256:${(7).toString(16).padStart(64, '0')}`;
  const receiptFile = join(store, 'att.tlog-proof');
  const proof = await gatechain(['log', 'proof', digest, '--store', store, '--out', receiptFile]);
  assert.equal(proof.code, 0, proof.stderr);
  assert.match(readFileSync(receiptFile, 'utf8'), /^c2sp\.org\/tlog-proof@v1\nextra .*\nindex 30\n/);

  const verify = await gatechain(['log', 'verify', receiptFile, '--vkey', vkey, '--json']);
  assert.equal(verify.code, 0, verify.stderr);
  const verified = JSON.parse(verify.stdout);
  assert.equal(verified.index, 30);
  assert.equal(verified.record.bundleDigest, digest);

  // --entry may be the attested bundle itself: accepted when the record commits to its digest.
  const bundle = Buffer.from('pretend this is a bundle');
  const bundleFile = join(store, 'bundle.json');
  writeFileSync(bundleFile, bundle);
  const other = await gatechain(['log', 'verify', receiptFile, '--vkey', vkey, '--entry', bundleFile]);
  assert.equal(other.code, 1, 'a file the record does not commit to must fail');
  assert.match(other.stderr, /LEDGER_ENTRY_MISMATCH/);
  assert.notEqual(`sha256:${sha256(bundle).toString('hex')}`, digest);

  const tampered = join(store, 'tampered.tlog-proof');
  writeFileSync(tampered, readFileSync(receiptFile, 'utf8').replace('index 30', 'index 29'));
  const bad = await gatechain(['log', 'verify', tampered, '--vkey', vkey]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /LEDGER_INCLUSION_FAILED/);

  const exportDir = join(store, 'export');
  const exported = await gatechain(['log', 'export', exportDir, '--store', store]);
  assert.equal(exported.code, 0, exported.stderr);
  const stateFile = join(store, 'monitor.json');
  const monitor = await gatechain([
    'log',
    'monitor',
    '--url',
    exportDir,
    '--vkey',
    vkey,
    '--state',
    stateFile,
  ]);
  assert.equal(monitor.code, 0, monitor.stderr);
  assert.match(monitor.stdout, /verified example\.com\/cli-log at size 31/);
  assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).size, 31);

  // A state file from a different history is a fork: non-zero exit with a clear message.
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  writeFileSync(stateFile, JSON.stringify({ ...state, root: Buffer.alloc(32).toString('base64') }));
  const fork = await gatechain(['log', 'monitor', '--url', exportDir, '--vkey', vkey, '--state', stateFile]);
  assert.equal(fork.code, 1);
  assert.match(fork.stderr, /fork.*LEDGER_FORK_DETECTED/);

  const missing = await gatechain(['log', 'checkpoint', '--store', join(store, 'nope')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /LEDGER_NOT_FOUND/);
});
