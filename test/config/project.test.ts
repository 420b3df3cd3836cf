import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { loadProjectConfig } from '../../src/config/index.ts';
import { GatechainError } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'gatechain-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'gatechain.yaml');

test('paths resolve against the config file; a postgres URL store is kept as is', async () => {
  writeFileSync(
    file,
    'apiVersion: gatechain.dev/v1\nkind: Project\nstore: postgres://db/gc\npolicy: p.yaml\nsigning:\n  key: k/ci.key\n',
  );
  const config = await loadProjectConfig(dir);
  assert.equal(config.store, 'postgres://db/gc');
  assert.equal(config.policy, join(dir, 'p.yaml'));
  assert.deepEqual(config.signing, { key: join(dir, 'k/ci.key'), passphraseEnv: 'GATECHAIN_KEY_PASSPHRASE' });
});

test('without a config file the defaults apply; a missing explicit one is an error', async () => {
  const empty = mkdtempSync(join(dir, 'empty-'));
  const config = await loadProjectConfig(empty);
  assert.equal(config.store, join(empty, '.gatechain'));
  assert.equal(config.signing, undefined);
  await assert.rejects(
    loadProjectConfig(empty, 'nope.yaml'),
    (e: unknown) => e instanceof GatechainError && e.code === 'CONFIG_NOT_FOUND',
  );
});

test('a passphrase is never a config value: unknown keys are refused with their line', async () => {
  writeFileSync(
    file,
    'apiVersion: gatechain.dev/v1\nkind: Project\nsigning:\n  key: ci.key\n  passphrase: hunter2\n',
  );
  await assert.rejects(loadProjectConfig(dir), (e: unknown) => {
    assert.ok(e instanceof GatechainError);
    assert.equal(e.code, 'CONFIG_INVALID');
    assert.equal(e.line, 5);
    assert.ok(!e.message.includes('hunter2'));
    return true;
  });
});

test('arbitrary config text gives only typed errors', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
      writeFileSync(file, text);
      try {
        await loadProjectConfig(dir);
      } catch (error) {
        assert.ok(error instanceof GatechainError, String(error));
      }
    }),
    { numRuns: 150 },
  );
});
