import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { keyIdOf, loadSigner } from '../../src/attest/index.ts';

const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'gatechain-keys-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base['GATECHAIN_KEY_PASSPHRASE'];
  const result = spawnSync(process.execPath, [main, ...args], {
    env: { ...base, ...env },
    encoding: 'utf8',
    input: '',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('keys generate writes an encrypted 0600 key and a public key, prints the key id', () => {
  const prefix = join(dir, 'sub', 'ci');
  const run = cli(
    ['keys', 'generate', '--algorithm', 'ecdsa-p256', '--out', prefix, '--passphrase-env', 'MY_PASS'],
    {
      MY_PASS: 's3cret-pass',
    },
  );
  assert.equal(run.code, 0, run.stderr);
  const keyId = run.stdout.trim();
  assert.equal(keyId, keyIdOf(readFileSync(`${prefix}.pub`, 'utf8')));
  assert.equal(statSync(`${prefix}.key`).mode & 0o777, 0o600);
  const privatePem = readFileSync(`${prefix}.key`, 'utf8');
  assert.match(privatePem, /ENCRYPTED PRIVATE KEY/);
  assert.equal(loadSigner(privatePem, 's3cret-pass').keyId, keyId);
  assert.doesNotMatch(run.stdout + run.stderr, /s3cret-pass/);

  const id = cli(['keys', 'id', `${prefix}.pub`, '--json']);
  assert.equal(id.code, 0);
  assert.equal(JSON.parse(id.stdout).keyId, keyId);

  // Never overwrites an existing key without --force.
  const again = cli(['keys', 'generate', '--out', prefix, '--json'], { GATECHAIN_KEY_PASSPHRASE: 'x' });
  assert.equal(again.code, 2);
  assert.equal(JSON.parse(again.stdout).error.code, 'KEY_FILE_EXISTS');
  assert.equal(readFileSync(`${prefix}.key`, 'utf8'), privatePem);
});

test('keys generate without a passphrase source, or with a bad algorithm, exits 2', () => {
  // No variable and no terminal (stdin is a pipe here): nothing to prompt on.
  const missing = cli(['keys', 'generate', '--out', join(dir, 'nopass')], {});
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /\[KEY_PASSPHRASE_MISSING\]/);
  const empty = cli(['keys', 'generate', '--out', join(dir, 'empty')], { GATECHAIN_KEY_PASSPHRASE: '' });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /\[KEY_PASSPHRASE_EMPTY\]/);
  const bad = cli(['keys', 'generate', '--algorithm', 'rsa', '--out', join(dir, 'rsa')], {
    GATECHAIN_KEY_PASSPHRASE: 'x',
  });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /ed25519 or ecdsa-p256/);
});

test('keys id on a private key or a missing file exits 2 with a typed error', () => {
  const prefix = join(dir, 'ed');
  assert.equal(cli(['keys', 'generate', '--out', prefix], { GATECHAIN_KEY_PASSPHRASE: 'pw' }).code, 0);
  const onPrivate = cli(['keys', 'id', `${prefix}.key`, '--json']);
  assert.equal(onPrivate.code, 2);
  assert.equal(JSON.parse(onPrivate.stdout).error.code, 'KEY_FILE_INVALID');
  const missing = cli(['keys', 'id', join(dir, 'nope.pub'), '--json']);
  assert.equal(missing.code, 2);
  assert.equal(JSON.parse(missing.stdout).error.code, 'KEY_FILE_NOT_FOUND');
});
