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
  writeFileSync(other, readFileSync(bundleFile, 'utf8').replace(/"sig":"./, '"sig":"A'));
  const wrong = runCli(['log', 'verify', receiptFile, '--vkey', vkey, '--entry', other], { cwd: dir });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /LEDGER_ENTRY_MISMATCH/);
});
