import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { scanSecrets } from '../../../src/scanners/secrets/index.ts';
import { PatchParser, unquoteGitPath } from '../../../src/scanners/secrets/source-git.ts';
import type { Fragment } from '../../../src/scanners/secrets/types.ts';
import { InputError } from '../../../src/util/errors.ts';
import { commitAll, git, tempDir, write } from './helpers.ts';
import { ALNUM, j, r } from './samples.ts';

const ghp = () => j('gh', 'p_', r(ALNUM, 36));

test('tree: honours nested .gitignore files, skips .git, binaries and files over the cap', async (t) => {
  const root = tempDir('tree');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  write(root, '.gitignore', 'ignored.txt\nbuild/\n');
  write(root, 'src/.gitignore', '*.gen.ts\n!keep.gen.ts\n');
  write(root, 'src/app.ts', `t = "${ghp()}"\n`);
  write(root, 'ignored.txt', `t = "${ghp()}"\n`);
  write(root, 'build/out.js', `t = "${ghp()}"\n`);
  write(root, 'src/x.gen.ts', `t = "${ghp()}"\n`);
  write(root, 'src/keep.gen.ts', `t = "${ghp()}"\n`);
  write(root, '.git/config', `t = "${ghp()}"\n`);
  write(root, 'image.bin', Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`t = "${ghp()}"`)]));
  write(root, 'big.txt', `t = "${ghp()}"\n${'x'.repeat(2000)}`);
  const result = await scanSecrets({ root, mode: 'tree', maxFileBytes: 1000 });
  assert.deepEqual(result.findings.map((f) => f.location?.file).sort(), ['src/app.ts', 'src/keep.gen.ts']);
  assert.equal(result.stats.skippedBinary, 1);
  assert.equal(result.stats.skippedLarge, 1);
  assert.match(result.ruleSetDigest, /^[0-9a-f]{64}$/);
});

test('git: a secret added in one commit and deleted in the next is found, with commit, author and date', async (t) => {
  const root = tempDir('git');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  git(root, 'init', '-q');
  write(root, 'README.md', '# demo\n');
  commitAll(root, 'initial');
  write(root, 'config/app.env.ts', `const a = 1;\nconst b = 2;\nexport const token = "${ghp()}";\n`);
  const added = commitAll(root, 'add config');
  write(root, 'config/app.env.ts', 'const a = 1;\nconst b = 2;\nexport const token = process.env.TOKEN;\n');
  commitAll(root, 'remove the token');
  const tree = await scanSecrets({ root, mode: 'tree' });
  assert.equal(tree.findings.length, 0, 'the current tree is clean');
  const history = await scanSecrets({ root, mode: 'git' });
  assert.equal(history.stats.commits, 3);
  assert.equal(history.findings.length, 1);
  const [finding] = history.findings;
  assert.equal(finding?.ruleId, 'github-pat');
  assert.equal(finding?.location?.file, 'config/app.env.ts');
  assert.equal(finding?.location?.line, 3);
  assert.equal(finding?.location?.commit, added);
  assert.equal(finding?.location?.author, 'Test Author');
  assert.match(finding?.location?.date ?? '', /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(finding?.properties?.['gitleaksFingerprint'], `${added}:config/app.env.ts:github-pat:3`);
});

test('git: files on other branches and renamed paths are scanned', async (t) => {
  const root = tempDir('branches');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  git(root, 'init', '-q');
  write(root, 'a.txt', 'hello\n');
  commitAll(root, 'initial');
  git(root, 'checkout', '-q', '-b', 'feature');
  write(root, 'dir with space/ünï.ts', `\n\nx = "${ghp()}"\n`);
  commitAll(root, 'on a branch');
  git(root, 'checkout', '-q', 'main');
  const history = await scanSecrets({ root, mode: 'git' });
  assert.deepEqual(
    history.findings.map((f) => [f.location?.file, f.location?.line]),
    [['dir with space/ünï.ts', 3]],
  );
});

test('git --range: only the commits of the range are scanned; option-like ranges are refused', async (t) => {
  const root = tempDir('range');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  git(root, 'init', '-q');
  write(root, 'old.ts', `x = "${ghp()}"\n`);
  const base = commitAll(root, 'old leak');
  write(root, 'new.ts', `y = "${ghp()}"\n`);
  commitAll(root, 'new leak');
  const all = await scanSecrets({ root, mode: 'git' });
  assert.equal(all.findings.length, 2);
  const range = await scanSecrets({ root, mode: 'git', range: `${base}..HEAD` });
  assert.deepEqual(
    range.findings.map((f) => f.location?.file),
    ['new.ts'],
  );
  await assert.rejects(
    scanSecrets({ root, mode: 'git', range: '--output=/tmp/x' }),
    (error: unknown) => error instanceof InputError && error.code === 'SECRETS_RANGE_INVALID',
  );
});

test('staged: only staged added lines are scanned', async (t) => {
  const root = tempDir('staged');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  git(root, 'init', '-q');
  write(root, 'a.ts', 'const x = 1;\n');
  commitAll(root, 'initial');
  write(root, 'a.ts', `const x = 1;\nconst t = "${ghp()}";\n`);
  write(root, 'unstaged.ts', `const t = "${ghp()}";\n`);
  git(root, 'add', 'a.ts');
  const staged = await scanSecrets({ root, mode: 'staged' });
  assert.deepEqual(
    staged.findings.map((f) => [f.location?.file, f.location?.line, f.location?.commit]),
    [['a.ts', 2, undefined]],
  );
});

test('git mode outside a repository is a typed error', async (t) => {
  const root = tempDir('norepo');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  await assert.rejects(
    scanSecrets({ root, mode: 'git' }),
    (error: unknown) => error instanceof InputError && error.code === 'SECRETS_GIT_FAILED',
  );
});

test('patch parser: line numbers from hunk headers, quoted paths, deleted files, split chunks', () => {
  const patch = [
    '\x1eabc123\x1fAnn\x1fann@example.test\x1f2024-01-02T03:04:05+00:00\x1fsubject',
    'diff --git a/x.ts b/x.ts',
    '--- a/x.ts',
    '+++ b/x.ts',
    '@@ -1,0 +10,2 @@',
    '+line ten',
    '++++ not a header',
    '@@ -40 +50 @@',
    '+line fifty',
    'diff --git "a/\\303\\274.ts" "b/\\303\\274.ts"',
    '--- /dev/null',
    '+++ "b/\\303\\274.ts"',
    '@@ -0,0 +1 @@',
    '+umlaut',
    'diff --git a/gone.ts b/gone.ts',
    '--- a/gone.ts',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-removed',
    '',
  ].join('\n');
  const fragments: (Fragment & { text: string })[] = [];
  // Fragment bytes are only valid during the callback: copy them out.
  const parser = new PatchParser((f) => fragments.push({ ...f, text: Buffer.from(f.data).toString() }));
  const bytes = Buffer.from(patch);
  for (let i = 0; i < bytes.length; i += 7) parser.push(bytes.subarray(i, i + 7));
  parser.end();
  assert.deepEqual(
    fragments.map((f) => [f.path, f.text, f.lineMap, f.commit]),
    [
      ['x.ts', 'line ten\n+++ not a header\nline fifty', [10, 11, 50], 'abc123'],
      ['ü.ts', 'umlaut', [1], 'abc123'],
    ],
  );
  assert.equal(unquoteGitPath('"a\\tb"'), 'a\tb');
});

test('property: the patch parser never throws on arbitrary input', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 1000 }), (bytes) => {
      const parser = new PatchParser(() => {});
      parser.push(Buffer.from(bytes));
      parser.end();
    }),
    { numRuns: 200 },
  );
});
