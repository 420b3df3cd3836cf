import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';

const main = path.join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const fixtures = path.join(import.meta.dirname, '..', 'scanners', 'vulns', 'fixtures');

function gatechain(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [main, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, GATECHAIN_STORE: undefined, GATECHAIN_KEY_PASSPHRASE: 'test-passphrase' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// One initialised project for the whole file (tests run in order: the exception test comes last).
let dir = '';
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gatechain-gate-deps-'));
  cpSync(path.join(fixtures, 'project'), path.join(dir, 'app'), { recursive: true });
  assert.equal(gatechain(['init'], dir).code, 0);
  assert.equal(gatechain(['vulns', 'db', 'import', path.join(fixtures, 'cli-osv')], dir).code, 0);
});

test('gate deps: decides, then signs and stores sbom and vuln-scan attestations about the subject', () => {
  const run = gatechain(['gate', 'deps', 'app', '--subject', 'app', '--json'], dir);
  assert.equal(run.code, 1, run.stderr);
  const body = JSON.parse(run.stdout) as {
    verdict: string;
    attestations: string[];
    counts: { block: number };
  };
  assert.equal(body.verdict, 'block');
  assert.equal(body.counts.block, 1);
  assert.equal(body.attestations.length, 2);
  const listed = gatechain(['list', '--json'], dir);
  assert.equal(listed.code, 0, listed.stderr);
  const text = listed.stdout;
  assert.match(text, /https:\/\/cyclonedx\.org\/bom/);
  assert.match(text, /https:\/\/in-toto\.io\/attestation\/vulns\/v0\.2/);
  const passing = gatechain(
    ['gate', 'deps', 'app', '--subject', 'app', '--fail-on', 'critical', '--audit'],
    dir,
  );
  assert.equal(passing.code, 0, passing.stderr);
  assert.match(passing.stdout, /attested: sbom [0-9a-f]{16}, vuln-scan [0-9a-f]{16}/);
});

test('gate deps honours a vuln-exception signed by the security key, and only that', () => {
  const predicate = path.join(dir, 'exception.json');
  writeFileSync(
    predicate,
    JSON.stringify({
      ticket: 'RISK-42',
      vulnerabilities: ['CVE-2021-23337'],
      expires: '2999-01-01T00:00:00Z',
      reason: 'no exploit path',
    }),
  );
  // Signed with the CI key: the policy trusts only "security" for exceptions.
  const wrongKey = gatechain(
    ['attest', '--subject', 'app', '--type', 'vuln-exception', '--predicate', predicate, '--gate', '2'],
    dir,
  );
  assert.equal(wrongKey.code, 0, wrongKey.stderr);
  const stillBlocked = gatechain(['gate', 'deps', 'app', '--subject', 'app'], dir);
  assert.equal(stillBlocked.code, 1, stillBlocked.stderr);
  assert.match(stillBlocked.stderr, /vuln-exception [0-9a-f]{16} not honoured/);
  assert.match(stillBlocked.stdout, /attested: sbom [0-9a-f]{16}, vuln-scan [0-9a-f]{16}/);
  const signed = gatechain(
    [
      'attest',
      '--subject',
      'app',
      '--type',
      'vuln-exception',
      '--predicate',
      predicate,
      '--gate',
      '2',
      '--key',
      '.gatechain/keys/security.key',
    ],
    dir,
  );
  assert.equal(signed.code, 0, signed.stderr);
  const run = gatechain(['gate', 'deps', 'app', '--subject', 'app', '--json'], dir);
  assert.equal(run.code, 0, run.stderr);
  const body = JSON.parse(run.stdout) as {
    verdict: string;
    findings: Array<{ id: string; decision: string; reason: string }>;
  };
  assert.equal(body.verdict, 'pass');
  const lodash = body.findings.find((f) => f.id === 'GHSA-35jh-r3h4-6jhm');
  assert.equal(lodash?.decision, 'excepted');
  assert.match(lodash?.reason ?? '', /RISK-42/);
});

test('gate deps requires a subject', () => {
  const run = gatechain(['gate', 'deps', '.'], dir);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--subject/);
});
