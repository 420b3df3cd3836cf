import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const main = path.join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'main.ts');
const fixtures = path.join(import.meta.dirname, 'fixtures');

function gatechain(args: string[], cwd?: string) {
  const result = spawnSync(process.execPath, [main, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, GATECHAIN_STORE: undefined },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function importedStore(): string {
  const store = mkdtempSync(path.join(os.tmpdir(), 'gatechain-vulns-cli-'));
  const imported = gatechain(['vulns', 'db', 'import', path.join(fixtures, 'cli-osv'), '--db', store]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /2 added, 0 updated/);
  return store;
}

test('vulns db status --json shows per-ecosystem counts and freshness', () => {
  const store = importedStore();
  const status = gatechain(['vulns', 'db', 'status', '--db', store, '--json']);
  assert.equal(status.code, 0, status.stderr);
  const body = JSON.parse(status.stdout) as {
    advisories: number;
    newestModified: string;
    ecosystems: unknown[];
    lastImport: { finishedAt: string };
  };
  assert.equal(body.advisories, 2);
  assert.equal(body.newestModified, '2024-03-01T00:00:00.000Z');
  assert.deepEqual(body.ecosystems, [
    { ecosystem: 'npm', advisories: 2, withdrawn: 0, newestModified: '2024-03-01T00:00:00.000Z' },
  ]);
  assert.ok(Date.parse(body.lastImport.finishedAt) > 0);
  const text = gatechain(['vulns', 'db', 'status', '--db', store]);
  assert.match(text.stdout, /npm\s+2\s+0\s+2024-03-01/);
});

test('vulns db status without a database says how to create one', () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'gatechain-vulns-cli-'));
  const status = gatechain(['vulns', 'db', 'status', '--db', empty]);
  assert.equal(status.code, 2);
  assert.match(status.stderr, /vulns db import/);
});

test('vulns db import reports rejected records with file and line and exits 2', () => {
  const store = mkdtempSync(path.join(os.tmpdir(), 'gatechain-vulns-cli-'));
  const result = gatechain([
    'vulns',
    'db',
    'import',
    path.join(fixtures, 'malformed', 'bad-event.json'),
    '--db',
    store,
  ]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /bad-event\.json:11: not a valid OSV record/);
  assert.match(result.stdout, /0 added.*1 rejected/);
});

test('scan deps: table, exit 1 when a critical finding has a fix', () => {
  const store = importedStore();
  const result = gatechain(['scan', 'deps', path.join(fixtures, 'project'), '--db', store]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(
    result.stdout,
    /GHSA-35jh-r3h4-6jhm\s+npm:lodash\s+4\.17\.20\s+4\.17\.21\s+critical 9\.8\s+block/,
  );
  assert.match(result.stdout, /GHSA-xvch-5gv4-984h\s+npm:minimist\s+1\.2\.5\s+1\.2\.6\s+medium\s+allow/);
  assert.match(result.stdout, /BLOCK/);
});

test('scan deps --fail-on high passes nothing new; --fail-on medium blocks both; --audit exits 0', () => {
  const store = importedStore();
  const medium = gatechain([
    'scan',
    'deps',
    path.join(fixtures, 'project'),
    '--db',
    store,
    '--fail-on',
    'medium',
    '--json',
  ]);
  assert.equal(medium.code, 1);
  const body = JSON.parse(medium.stdout) as {
    counts: { block: number };
    findings: Array<{ id: string; fixed: string; decision: string }>;
  };
  assert.equal(body.counts.block, 2);
  assert.deepEqual(body.findings.map((f) => [f.id, f.fixed]).sort(), [
    ['GHSA-35jh-r3h4-6jhm', '4.17.21'],
    ['GHSA-xvch-5gv4-984h', '1.2.6'],
  ]);
  const audit = gatechain(['scan', 'deps', path.join(fixtures, 'project'), '--db', store, '--audit']);
  assert.equal(audit.code, 0);
  assert.equal(
    gatechain(['scan', 'deps', path.join(fixtures, 'project'), '--db', store, '--fail-on', 'severe']).code,
    2,
  );
});

test('scan deps honours the ignore file and reports expired entries', () => {
  const store = importedStore();
  const root = mkdtempSync(path.join(os.tmpdir(), 'gatechain-vulns-project-'));
  for (const file of ['package.json', 'package-lock.json']) {
    copyFileSync(path.join(fixtures, 'project', file), path.join(root, file));
  }
  mkdirSync(path.join(root, '.gatechain'));
  const ignorePath = path.join(root, '.gatechain', 'vuln-ignore.yaml');
  writeFileSync(
    ignorePath,
    'ignore:\n  - id: CVE-2021-23337\n    reason: template API unused\n    ticket: SEC-1\n    expires: 2999-01-01\n',
  );
  const ignored = gatechain(['scan', 'deps', root, '--db', store]);
  assert.equal(ignored.code, 0, ignored.stdout + ignored.stderr);
  assert.match(ignored.stdout, /GHSA-35jh-r3h4-6jhm.*ignored/);
  writeFileSync(
    ignorePath,
    'ignore:\n  - id: CVE-2021-23337\n    reason: template API unused\n    expires: 2001-01-01\n',
  );
  const expired = gatechain(['scan', 'deps', root, '--db', store]);
  assert.equal(expired.code, 1);
  assert.match(
    expired.stdout,
    /expired ignore entries \(no longer suppress\): CVE-2021-23337 \(expired 2001-01-01, .*vuln-ignore\.yaml:2\)/,
  );
  writeFileSync(ignorePath, 'ignore:\n  - id: CVE-2021-23337\n');
  const broken = gatechain(['scan', 'deps', root, '--db', store]);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /vuln-ignore\.yaml:2: ignore entry is missing "expires"/);
});

test('scan deps --sarif prints SARIF 2.1.0 with one result per finding', () => {
  const store = importedStore();
  const result = gatechain(['scan', 'deps', path.join(fixtures, 'project'), '--db', store, '--sarif']);
  assert.equal(result.code, 1);
  const sarif = JSON.parse(result.stdout) as {
    version: string;
    runs: Array<{ results: Array<{ ruleId: string; level: string }> }>;
  };
  assert.equal(sarif.version, '2.1.0');
  assert.deepEqual(sarif.runs[0]?.results.map((r) => [r.ruleId, r.level]).sort(), [
    ['GHSA-35jh-r3h4-6jhm', 'error'],
    ['GHSA-xvch-5gv4-984h', 'warning'],
  ]);
});

test('vulns db import draws progress only when stderr is a terminal', () => {
  const store = mkdtempSync(path.join(os.tmpdir(), 'gatechain-vulns-cli-'));
  const piped = gatechain(['vulns', 'db', 'import', path.join(fixtures, 'osv'), '--db', store]);
  assert.equal(piped.code, 0);
  assert.doesNotMatch(piped.stderr, /importing:/);
  // util-linux `script` gives the command a pseudo-terminal.
  const command = [
    process.execPath,
    main,
    'vulns',
    'db',
    'import',
    path.join(fixtures, 'osv'),
    '--db',
    mkdtempSync(path.join(os.tmpdir(), 'gatechain-vulns-cli-')),
  ]
    .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
    .join(' ');
  const tty = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
  assert.equal(tty.status, 0, tty.stderr);
  assert.match(tty.stdout, /\r\x1b\[2Kimporting: 3 read, 3 added/);
  assert.match(tty.stdout, /imported into .*: 3 added/);
});
