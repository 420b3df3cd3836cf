import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { canonicalJson, sha256Hex } from '../../src/gates/code.ts';
import { PredicateType } from '../../src/model/predicate-types.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const root = mkdtempSync(join(tmpdir(), 'gatechain-code-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

function gatechain(...args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd: root, timeout: 60_000 });
}

mkdirSync(join(root, 'app'));
writeFileSync(join(root, 'app', 'server.js'), "const x = 1;\nsetTimeout('tick()', 10);\n");
writeFileSync(
  join(root, 'app', 'package-lock.json'),
  JSON.stringify({
    lockfileVersion: 3,
    packages: { '': { name: 'app' }, 'node_modules/ok': { version: '1.0.0', license: 'MIT' } },
  }),
);

test('scan sast: medium finding passes --fail-on high, fails --fail-on medium; sarif output', () => {
  const table = gatechain('scan', 'sast', 'app');
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /js\/string-timer\s+server\.js:2 /);
  assert.equal(gatechain('scan', 'sast', 'app', '--fail-on', 'medium').status, 1);
  const sarif = gatechain('scan', 'sast', 'app', '--format', 'sarif');
  const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
  assert.equal(log.version, '2.1.0');
  assert.deepEqual(
    log.runs[0]?.results.map((result) => result.ruleId),
    ['js/string-timer'],
  );
  const bad = gatechain('scan', 'sast', 'app', '--format', 'xml');
  assert.equal(bad.status, 2);
});

test('scan licenses: a policy error exits 2 naming file and line', () => {
  writeFileSync(join(root, 'bad-policy.yaml'), 'allow:\n  - MIT\n  - Nope-1.0\n');
  const result = gatechain('scan', 'licenses', 'app', '--policy', 'bad-policy.yaml');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /bad-policy\.yaml:3: .*LICENSE_POLICY_INVALID/);
  assert.equal(gatechain('scan', 'licenses', 'app').status, 0);
});

test('gate code --no-sign --json: pass decision, statement and report digest agree', () => {
  const result = gatechain(
    'gate',
    'code',
    'app',
    '--no-sign',
    '--json',
    '--subject',
    `sha256:${'1'.repeat(64)}`,
    '--report',
    'findings.json',
  );
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout) as {
    decision: { result: string };
    statement: { predicateType: string; predicate: { findingsDigest: { sha256: string }; decision: string } };
  };
  assert.equal(output.decision.result, 'warn');
  assert.equal(output.statement.predicateType, PredicateType.codeScan);
  assert.equal(output.statement.predicate.decision, 'pass');
  const report = JSON.parse(readFileSync(join(root, 'findings.json'), 'utf8'));
  assert.equal(sha256Hex(canonicalJson(report)), output.statement.predicate.findingsDigest.sha256);
});

test('gate code exits 1 when the gate blocks', () => {
  writeFileSync(join(root, 'app', 'danger.js'), 'module.exports = (req) => eval(req.body.code);\n');
  const result = gatechain('gate', 'code', 'app', '--no-sign', '--subject', `sha256:${'2'.repeat(64)}`);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stdout, /BLOCK\s+sast\s+js\/eval-injection\s+critical/);
  assert.match(result.stdout, /decision: block/);
});
