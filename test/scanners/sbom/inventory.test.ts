import assert from 'node:assert/strict';
import {
  closeSync,
  cpSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { extractInventory } from '../../../src/scanners/sbom/index.ts';
import { InputError } from '../../../src/util/errors.ts';
import { FIXTURES } from './helpers.ts';

const temp = mkdtempSync(join(tmpdir(), 'gatechain-sbom-'));
after(() => rmSync(temp, { recursive: true, force: true }));

function tree(name: string): string {
  const root = join(temp, name);
  mkdirSync(root, { recursive: true });
  return root;
}

test('walks the tree, honours .gitignore, skips node_modules and vendor, includes workspaces', async () => {
  const root = tree('mono');
  cpSync(join(FIXTURES, 'npm-v3'), join(root, 'web'), { recursive: true });
  cpSync(join(FIXTURES, 'cargo'), join(root, 'native'), { recursive: true });
  cpSync(join(FIXTURES, 'go-mod'), join(root, 'svc'), { recursive: true });
  // Same lockfile again where it must not be read.
  cpSync(join(FIXTURES, 'yarn-v1'), join(root, 'web/node_modules/dep'), { recursive: true });
  cpSync(join(FIXTURES, 'gemfile'), join(root, 'svc/vendor/x'), { recursive: true });
  cpSync(join(FIXTURES, 'composer'), join(root, 'build/out'), { recursive: true });
  cpSync(join(FIXTURES, 'pom'), join(root, 'excluded'), { recursive: true });
  writeFileSync(join(root, '.gitignore'), 'build/\n');
  const inventory = await extractInventory(root, { includeDev: true, exclude: ['excluded/'] });
  assert.deepEqual(inventory.sources, ['native/Cargo.lock', 'svc/go.mod', 'web/package-lock.json']);
  assert.equal(inventory.components.length, 4 + 6 + 8);
  const roots = inventory.roots!.map((r) => r.ref);
  assert.ok(roots.includes('root:web/package-lock.json!packages/util'));
  assert.ok(roots.includes('root:native/Cargo.lock!fixture-core'));
  assert.equal(inventory.components.find((c) => c.name === 'debug')?.location.file, 'web/package-lock.json');
});

test('a nested .gitignore applies below its folder only', async () => {
  const root = tree('nested-ignore');
  cpSync(join(FIXTURES, 'gradle'), join(root, 'a/gen'), { recursive: true });
  cpSync(join(FIXTURES, 'gradle'), join(root, 'b/gen'), { recursive: true });
  writeFileSync(join(root, 'a/.gitignore'), 'gen\n');
  const inventory = await extractInventory(root);
  assert.deepEqual(inventory.sources, ['b/gen/gradle.lockfile']);
});

test('development dependencies are left out unless asked for, with their edges', async () => {
  const root = tree('dev');
  cpSync(join(FIXTURES, 'pnpm-v9'), root, { recursive: true });
  const without = await extractInventory(root);
  assert.deepEqual(without.components.map((c) => `${c.name}@${c.version}`).sort(), [
    '@sindresorhus/is@4.6.0',
    'debug@4.3.4',
    'is-number@7.0.0',
    'kleur@4.1.5',
    'ms@2.1.2',
    'ms@2.1.3',
  ]);
  const refs = new Set(without.components.map((c) => c.ref));
  for (const root of without.roots ?? []) for (const ref of root.dependsOn) assert.ok(refs.has(ref), ref);
  const withDev = await extractInventory(root, { includeDev: true });
  assert.equal(withDev.components.length, 8);
});

test('one purl in two lockfiles gets two distinct refs, and edges follow', async () => {
  const root = tree('twice');
  cpSync(join(FIXTURES, 'npm-v3'), join(root, 'a'), { recursive: true });
  cpSync(join(FIXTURES, 'npm-v2'), join(root, 'b'), { recursive: true });
  const inventory = await extractInventory(root, { includeDev: true });
  const refs = inventory.components.map((c) => c.ref);
  assert.equal(new Set(refs).size, refs.length);
  const debugB = inventory.components.find(
    (c) => c.name === 'debug' && c.location.file === 'b/package-lock.json',
  )!;
  assert.equal(debugB.ref, 'pkg:npm/debug@4.3.4|b/package-lock.json');
  assert.deepEqual(debugB.dependsOn, ['pkg:npm/ms@2.1.2|b/package-lock.json']);
});

test('a malformed lockfile in the tree fails with its path and line', async () => {
  const root = tree('broken');
  mkdirSync(join(root, 'app'));
  writeFileSync(
    join(root, 'app/Cargo.lock'),
    'version = 3\n\n[[package]]\nname = "a"\nsource = "registry+x"\n',
  );
  await assert.rejects(extractInventory(root), (error) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.file, 'app/Cargo.lock');
    assert.equal(error.line, 3);
    return true;
  });
});

test('files over the size limit are refused without being read', async () => {
  const root = tree('huge');
  const fd = openSync(join(root, 'go.mod'), 'w');
  ftruncateSync(fd, 256 * 1024 * 1024 + 1); // sparse: no disk used
  closeSync(fd);
  await assert.rejects(extractInventory(root), (error) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.code, 'FILE_TOO_LARGE');
    assert.equal(error.file, 'go.mod');
    return true;
  });
});

test('a root that is not a folder is a typed error', async () => {
  await assert.rejects(extractInventory(join(temp, 'does-not-exist')), (error) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.code, 'NOT_A_DIRECTORY');
    return true;
  });
});

test('a malformed manifest next to a lockfile is reported under its own path', async () => {
  const root = tree('bad-manifest');
  cpSync(join(FIXTURES, 'yarn-v1'), join(root, 'web'), { recursive: true });
  writeFileSync(join(root, 'web/package.json'), '{\n  "name": "x",\n  "dependencies": {,\n}\n');
  await assert.rejects(extractInventory(root), (error) => {
    assert.ok(error instanceof InputError);
    assert.equal(error.code, 'JSON_SYNTAX');
    assert.equal(error.file, 'web/package.json');
    assert.equal(error.line, 3);
    return true;
  });
});

test('odd folder names do not break the .gitignore matching', async () => {
  const root = tree('odd-names');
  cpSync(join(FIXTURES, 'go-mod'), join(root, '...'), { recursive: true });
  cpSync(join(FIXTURES, 'go-mod'), join(root, ' spaced #1'), { recursive: true });
  writeFileSync(join(root, '.gitignore'), '*.tmp\n');
  const inventory = await extractInventory(root);
  assert.deepEqual(inventory.sources, [' spaced #1/go.mod', '.../go.mod']);
});
