import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { commitAll, git, tempDir, write } from './helpers.ts';
import { ALNUM, j, r } from './samples.ts';

const main = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'main.ts');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [main, 'scan', 'secrets', ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('CLI: exit 0 when clean, 1 with findings, 2 on bad input; every format redacts', (t) => {
  const root = tempDir('cli');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  write(root, 'clean.ts', 'export const x = 1;\n');
  assert.equal(run(root).code, 0);
  const secret = j('gh', 'p_', r(ALNUM, 36));
  write(root, 'leak.ts', `t = "${secret}"\n`);
  const table = run(root);
  assert.equal(table.code, 1);
  assert.match(table.stdout, /github-pat/);
  const json = run(root, '--format', 'json');
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as { findings: unknown[]; ruleSetDigest: { sha256: string } };
  assert.equal(report.findings.length, 1);
  assert.match(report.ruleSetDigest.sha256, /^[0-9a-f]{64}$/);
  const sarifPath = join(root, '..', `${root.split('/').pop()}.sarif`);
  t.after(() => rmSync(sarifPath, { force: true }));
  assert.equal(run(root, '--format', 'sarif', '--report-path', sarifPath).code, 1);
  const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as {
    version: string;
    runs: { results: unknown[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0]?.results.length, 1);
  for (const text of [table.stdout, json.stdout, readFileSync(sarifPath, 'utf8')])
    assert.ok(!text.includes(secret));

  // The JSON report as a baseline: nothing new, exit 0.
  const baseline = join(root, '..', `${root.split('/').pop()}-baseline.json`);
  t.after(() => rmSync(baseline, { force: true }));
  run(root, '--format', 'json', '--report-path', baseline);
  assert.equal(run(root, '--baseline', baseline).code, 0);

  assert.equal(run(root, '--format', 'xml').code, 2);
  assert.equal(run(root, '--git', '--staged').code, 2);
  const badConfig = run(root, '--config', join(import.meta.dirname, 'fixtures', 'invalid-regex.toml'));
  assert.equal(badConfig.code, 2);
  assert.match(badConfig.stderr, /invalid-regex\.toml:3: .*SECRETS_REGEX_INVALID/);
  assert.equal(run(join(root, 'missing-dir')).code, 2);
});

test('CLI: --git and --staged read the repository', (t) => {
  const root = tempDir('cli-git');
  t.after(() => rmSync(root, { recursive: true, force: true }));
  git(root, 'init', '-q');
  write(root, 'a.ts', `t = "${j('gh', 'p_', r(ALNUM, 36))}"\n`);
  commitAll(root, 'leak');
  write(root, 'a.ts', 'clean\n');
  commitAll(root, 'clean');
  assert.equal(run(root).code, 0);
  const history = run(root, '--git', '--format', 'json');
  assert.equal(history.code, 1);
  assert.equal((JSON.parse(history.stdout) as { stats: { commits: number } }).stats.commits, 2);
  assert.equal(run(root, '--staged').code, 0);
  write(root, 'b.ts', `t = "${j('gh', 'p_', r(ALNUM, 36))}"\n`);
  git(root, 'add', 'b.ts');
  assert.equal(run(root, '--staged').code, 1);
});
