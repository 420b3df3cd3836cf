import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { codeScanPredicate } from '../helpers/predicates.ts';
import { runCli } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'gatechain-store-resolution-'));
after(() => rmSync(root, { recursive: true, force: true }));
const env = { GATECHAIN_KEY_PASSPHRASE: 'store resolution' };

test('every command finds the store the project config names', () => {
  assert.equal(runCli(['init', root], { cwd: root, env }).status, 0);
  const config = join(root, 'gatechain.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('store: .gatechain', 'store: state'));
  writeFileSync(join(root, 'a.txt'), 'artifact');
  writeFileSync(join(root, 'scan.json'), JSON.stringify(codeScanPredicate()));
  const attested = runCli(['attest', '-s', 'a.txt', '-t', 'code-scan', '-p', 'scan.json'], {
    cwd: root,
    env,
  });
  assert.equal(attested.status, 0, attested.stderr);
  const listed = JSON.parse(runCli(['list', '--json'], { cwd: root }).stdout) as unknown[];
  assert.equal(listed.length, 1);
  // The log lives beside the configured store, and `log` reads the config like the rest.
  const checkpoint = runCli(['log', 'checkpoint', '--json'], { cwd: root });
  assert.equal(checkpoint.status, 0, checkpoint.stderr);
  assert.equal(JSON.parse(checkpoint.stdout).size, 1);
  // An explicit --store still wins over the config.
  const elsewhere = runCli(['log', 'checkpoint', '--store', join(root, '.gatechain')], { cwd: root });
  assert.equal(elsewhere.status, 2);
  assert.match(elsewhere.stderr, /LEDGER_NOT_FOUND/);
});
