import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES } from './helpers.ts';

const MAIN = join(import.meta.dirname, '../../../src/cli/main.ts');
const temp = mkdtempSync(join(tmpdir(), 'gatechain-sbom-cli-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function run(args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
}

test('gatechain sbom prints CycloneDX by default, production scope only', () => {
  const result = run(['sbom', join(FIXTURES, 'pnpm-v9')]);
  assert.equal(result.status, 0, result.stderr);
  const bom = JSON.parse(result.stdout) as {
    bomFormat: string;
    specVersion: string;
    components: { purl?: string }[];
  };
  assert.equal(bom.bomFormat, 'CycloneDX');
  assert.equal(bom.specVersion, '1.6');
  const purls = bom.components.map((c) => c.purl).filter(Boolean);
  assert.ok(purls.includes('pkg:npm/debug@4.3.4'));
  assert.ok(!purls.includes('pkg:npm/is-odd@3.0.1'));
});

test('gatechain sbom --format spdx --include-dev --output writes the file', () => {
  const out = join(temp, 'sbom.spdx.json');
  const result = run([
    'sbom',
    join(FIXTURES, 'pnpm-v9'),
    '--format',
    'spdx',
    '--include-dev',
    '--output',
    out,
  ]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '');
  const doc = JSON.parse(readFileSync(out, 'utf8')) as { spdxVersion: string; packages: { name: string }[] };
  assert.equal(doc.spdxVersion, 'SPDX-2.3');
  assert.ok(doc.packages.some((p) => p.name === 'is-odd'));
});

test('skipped requirements are reported on stderr, not dropped silently', () => {
  const result = run(['sbom', join(FIXTURES, 'requirements')]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /skipped flask \(requirements\.txt:9\): not pinned with ==/);
});

test('an unknown format is a usage error (exit 2)', () => {
  const result = run(['sbom', FIXTURES, '--format', 'xml']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--format must be one of cyclonedx, spdx/);
});

test('a malformed lockfile exits 2 naming file and line', () => {
  const root = join(temp, 'broken');
  cpSync(join(FIXTURES, 'gradle'), root, { recursive: true });
  writeFileSync(join(root, 'gradle.lockfile'), 'a:b:1=x\nnot-a-coordinate\n');
  const result = run(['sbom', root]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^gatechain: gradle\.lockfile:2: .*\[LOCKFILE_FORMAT\]/);
  const json = run(['sbom', root, '--json']);
  assert.equal(json.status, 2);
  assert.equal((JSON.parse(json.stdout) as { error: { line: number } }).error.line, 2);
});

test('--exclude is repeatable and leaves the path argument alone', () => {
  const root = join(temp, 'excl');
  cpSync(join(FIXTURES, 'go-mod'), join(root, 'a'), { recursive: true });
  cpSync(join(FIXTURES, 'cargo'), join(root, 'b'), { recursive: true });
  cpSync(join(FIXTURES, 'gemfile'), join(root, 'c'), { recursive: true });
  const result = run(['sbom', '--exclude', 'a/', '--exclude', 'c/', root]);
  assert.equal(result.status, 0, result.stderr);
  const purls = (JSON.parse(result.stdout) as { components: { purl?: string }[] }).components
    .map((c) => c.purl)
    .filter((p): p is string => p !== undefined);
  assert.ok(purls.length > 0);
  assert.ok(
    purls.every((p) => p.startsWith('pkg:cargo/')),
    purls.join(' '),
  );
});
