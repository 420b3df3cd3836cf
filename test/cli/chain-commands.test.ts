import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { codeScanPredicate } from '../helpers/predicates.ts';
import { runCli } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'gatechain-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const passphrase = 'correct horse battery staple';
const env = { GATECHAIN_KEY_PASSPHRASE: passphrase };
const project = join(root, 'project');

function git(args: string[]) {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd: project,
  });
  assert.equal(result.status, 0, String(result.stderr));
}

const SMALL_POLICY = `apiVersion: gatechain.dev/v1
kind: ChainPolicy
metadata:
  name: small
signers:
  ci:
    publicKey: .gatechain/keys/ci.pub
gates:
  - gate: 1
    name: code
    require:
      - predicateType: code-scan
        signers: [ci]
        conditions:
          - path: decision
            equals: pass
`;

test('init creates config, policy and encrypted keys without printing the passphrase', () => {
  rmSync(project, { recursive: true, force: true });
  const result = runCli(['init', project], { cwd: root, env });
  assert.equal(result.status, 0, result.stderr);
  for (const file of [
    'gatechain.yaml',
    'gatechain-policy.yaml',
    '.gatechain/keys/ci.key',
    '.gatechain/keys/security.pub',
  ]) {
    assert.ok(statSync(join(project, file)).isFile(), file);
  }
  assert.equal(statSync(join(project, '.gatechain/keys/ci.key')).mode & 0o777, 0o600);
  assert.match(readFileSync(join(project, '.gatechain/keys/ci.key'), 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
  assert.equal(readFileSync(join(project, '.gatechain/.gitignore'), 'utf8'), '*\n');
  assert.ok(!result.stdout.includes(passphrase) && !result.stderr.includes(passphrase));
  const again = runCli(['init', project], { cwd: root, env });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /PROJECT_EXISTS/);
});

test('attest, verify, list, show, export and import work end to end', () => {
  writeFileSync(join(project, 'app.js'), 'console.log(1)\n');
  git(['init', '-q']);
  git(['add', '.']);
  git(['commit', '-q', '-m', 'first']);
  writeFileSync(join(project, 'small-policy.yaml'), SMALL_POLICY);
  writeFileSync(join(project, 'scan.json'), JSON.stringify(codeScanPredicate('pass')));

  // Nothing attested yet: the policy fails with exit 1 and says the claim is missing.
  const before = runCli(['verify', 'git:HEAD', '--policy', 'small-policy.yaml'], { cwd: project, env });
  assert.equal(before.status, 1, before.stderr);
  assert.match(before.stdout, /MISSING/);

  const attested = runCli(
    [
      'attest',
      '--subject',
      'git:HEAD',
      '--type',
      'code-scan',
      '--predicate',
      'scan.json',
      '--gate',
      '1',
      '--json',
    ],
    { cwd: project, env },
  );
  assert.equal(attested.status, 0, attested.stderr);
  const { id } = JSON.parse(attested.stdout) as { id: string };
  assert.match(id, /^[0-9a-f]{64}$/);

  const verified = runCli(['verify', 'git:HEAD', '--policy', 'small-policy.yaml'], { cwd: project, env });
  assert.equal(verified.status, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /✓ PASS/);
  const asJson = JSON.parse(
    runCli(['verify', 'git:HEAD', '--policy', 'small-policy.yaml', '--json'], { cwd: project }).stdout,
  );
  assert.equal(asJson.passed, true);

  const logSize = JSON.parse(runCli(['log', 'checkpoint', '--json'], { cwd: project }).stdout).size as number;
  const attestedDecision = runCli(
    ['verify', 'git:HEAD', '--policy', 'small-policy.yaml', '--attest', '--json'],
    {
      cwd: project,
      env,
    },
  );
  assert.equal(attestedDecision.status, 0, attestedDecision.stderr);
  const { summary } = JSON.parse(attestedDecision.stdout) as { summary: { vsa: string; logIndex: number } };
  const vsaRows = JSON.parse(runCli(['list', '--json', '--type', 'vsa'], { cwd: project }).stdout) as {
    id: string;
  }[];
  assert.deepEqual(
    vsaRows.map((row) => row.id),
    [summary.vsa],
  );
  // The VSA attestation and the decision record, both in the log.
  assert.equal(
    JSON.parse(runCli(['log', 'checkpoint', '--json'], { cwd: project }).stdout).size,
    logSize + 2,
  );
  assert.equal(summary.logIndex, logSize + 1);

  const listed = JSON.parse(runCli(['list', '--json', '--type', 'code-scan'], { cwd: project }).stdout) as {
    id: string;
  }[];
  assert.deepEqual(
    listed.map((row) => row.id),
    [id],
  );
  const shown = JSON.parse(runCli(['show', id.slice(0, 12), '--json'], { cwd: project }).stdout);
  assert.equal(shown.statement.predicate.decision, 'pass');

  const exportDir = join(root, 'exported');
  assert.equal(runCli(['export', '--type', 'code-scan', '--out', exportDir], { cwd: project }).status, 0);
  assert.deepEqual(readdirSync(exportDir).sort(), [`${id}.sigstore.json`, `${id}.tlog-proof`]);
  const jsonl = join(root, 'all.intoto.jsonl');
  assert.equal(runCli(['export', '--type', 'code-scan', '--jsonl', jsonl], { cwd: project }).status, 0);

  for (const [name, file] of [
    ['store-a', join(exportDir, `${id}.sigstore.json`)],
    ['store-b', jsonl],
  ] as const) {
    const other = join(root, name);
    const imported = runCli(['import', file, '--store', other, '--json'], { cwd: project });
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(JSON.parse(imported.stdout).inserted, 1);
    const replay = runCli(['verify', 'git:HEAD', '--policy', 'small-policy.yaml', '--store', other], {
      cwd: project,
    });
    assert.equal(replay.status, 0, replay.stdout + replay.stderr);
  }
});

test('a failing condition exits 1 with the reason; bad input exits 2 with a typed error', () => {
  writeFileSync(join(project, 'fail.json'), JSON.stringify(codeScanPredicate('fail')));
  writeFileSync(join(project, 'other.txt'), 'other artifact');
  const attested = runCli(['attest', '-s', 'other.txt', '-t', 'code-scan', '-p', 'fail.json'], {
    cwd: project,
    env,
  });
  assert.equal(attested.status, 0, attested.stderr);
  const failed = runCli(['verify', 'other.txt', '--policy', 'small-policy.yaml'], { cwd: project });
  assert.equal(failed.status, 1);
  assert.match(failed.stdout, /CONDITION_FAILED/);

  const tagOnly = runCli(['verify', 'nginx:1.25', '--policy', 'small-policy.yaml'], { cwd: project });
  assert.equal(tagOnly.status, 2);
  assert.match(tagOnly.stderr, /IMAGE_TAG_ONLY/);

  writeFileSync(join(project, 'broken.json'), '{"decision": "pass",\n  oops}');
  writeFileSync(join(project, 'incomplete.json'), JSON.stringify({ decision: 'pass' }));
  const incomplete = runCli(['attest', '-s', 'other.txt', '-t', 'code-scan', '-p', 'incomplete.json'], {
    cwd: project,
    env,
  });
  assert.equal(incomplete.status, 2);
  assert.match(incomplete.stderr, /PREDICATE_INVALID/);
  const broken = runCli(['attest', '-s', 'other.txt', '-t', 'code-scan', '-p', 'broken.json'], {
    cwd: project,
    env,
  });
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /broken\.json:2:\d+: .*\[JSON_SYNTAX\]/);

  const wrongPass = runCli(['attest', '-s', 'other.txt', '-t', 'code-scan', '-p', 'scan.json'], {
    cwd: project,
    env: { GATECHAIN_KEY_PASSPHRASE: 'not it' },
  });
  assert.equal(wrongPass.status, 2);
  assert.ok(!wrongPass.stderr.includes('not it'));
});

test('every command answers --help', () => {
  for (const command of [
    'init',
    'attest',
    'verify',
    'list',
    'show',
    'export',
    'import',
    'demo',
    'keys',
    'scan',
    'gate',
  ]) {
    const result = runCli([command, '--help'], { cwd: root });
    assert.equal(result.status, 0, `${command}: ${result.stderr}`);
    assert.match(result.stdout, /Usage: gatechain/);
  }
});
