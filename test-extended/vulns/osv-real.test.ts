import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { zipSync } from 'fflate';
import type { Component, Ecosystem } from '../../src/model/component.ts';
import { AdvisoryIndex } from '../../src/scanners/vulns/match/index.ts';
import { decodeRecord, importOsv, OsvDatabase, type OsvRecord } from '../../src/scanners/vulns/osv/index.ts';
import { InputError } from '../../src/util/errors.ts';

const shared = process.env['GATECHAIN_SHARED'];
if (!shared) throw new Error('GATECHAIN_SHARED must name the shared folder');
const osvDir = path.join(shared, 'data', 'osv');

let index: AdvisoryIndex;
let records: OsvRecord[];
let storeDir = '';

before(() => {
  storeDir = mkdtempSync(path.join(os.tmpdir(), 'gatechain-osv-real-'));
  const db = OsvDatabase.open(storeDir);
  try {
    const result = importOsv(db, [osvDir]);
    assert.deepEqual(result.problems, [], 'every shared record is valid OSV');
    assert.equal(result.summary.added, 4291 + 2661);
    const status = db.status();
    assert.deepEqual(
      status.ecosystems.map((e) => [e.ecosystem, e.advisories]),
      [
        ['Go', 4291],
        ['PyPI', 2661],
      ],
    );
    records = [...db.records()];
    index = AdvisoryIndex.fromRecords(records);
  } finally {
    db.close();
  }
});

function component(ecosystem: Ecosystem, name: string, version: string): Component {
  const type = ecosystem === 'Go' ? 'golang' : ecosystem.toLowerCase();
  return {
    ref: `pkg:${type}/${name}@${version}`,
    name,
    version,
    purl: `pkg:${type}/${name}@${version}`,
    ecosystem,
    scope: 'production',
    direct: true,
    dependsOn: [],
    location: { file: 'lock' },
  };
}

function ids(ecosystem: Ecosystem, name: string, version: string): string[] {
  return index.matchComponent(component(ecosystem, name, version)).map((m) => m.advisory.id);
}

test('a scan that reads only its packages from osv.db matches exactly like the full index', () => {
  const names = new Map<string, Component>();
  for (const record of records) {
    for (const affected of record.affected ?? []) {
      if (!affected.package || names.size >= 600) continue;
      const ecosystem = affected.package.ecosystem as Ecosystem;
      const version = ecosystem === 'Go' ? 'v1.0.0' : '1.0';
      names.set(
        `${ecosystem}|${affected.package.name}`,
        component(ecosystem, affected.package.name, version),
      );
    }
  }
  const components = [...names.values()];
  const db = OsvDatabase.openReadOnly(storeDir);
  try {
    const partial = AdvisoryIndex.fromRecords(db.recordsForPackages(components));
    const summary = (matches: ReturnType<AdvisoryIndex['match']>) =>
      matches
        .map(
          (m) =>
            `${m.component.name} ${m.advisory.id} ${m.fixedIn} ${m.severity.rating} ${m.severity.fromAlias}`,
        )
        .sort();
    const full = summary(index.match(components));
    assert.ok(full.length > 100, `${full.length} matches`);
    assert.deepEqual(summary(partial.match(components)), full);
  } finally {
    db.close();
  }
});

test('Go: a module version inside a record range matches; the fixed version does not', () => {
  const [gin] = index
    .matchComponent(component('Go', 'github.com/gin-gonic/gin', 'v1.5.0'))
    .filter((m) => m.advisory.id === 'GO-2020-0001');
  assert.equal(gin?.fixedIn, '1.6.0');
  assert.ok(!ids('Go', 'github.com/gin-gonic/gin', 'v1.6.0').includes('GO-2020-0001'));
});

test('Go: two introduced/fixed pairs (argo-cd v2) and the next fix for each branch', () => {
  const at = (version: string) =>
    index
      .matchComponent(component('Go', 'github.com/argoproj/argo-cd/v2', version))
      .find((m) => m.advisory.id === 'GO-2022-0304');
  assert.equal(at('v2.1.8')?.fixedIn, '2.1.9');
  assert.equal(at('v2.1.9'), undefined);
  assert.equal(at('v2.2.3')?.fixedIn, '2.2.4');
  assert.equal(at('v2.2.4'), undefined);
});

test('Go: +incompatible versions and pseudo-version fixes (json-patch)', () => {
  assert.ok(ids('Go', 'github.com/evanphx/json-patch', 'v3.0.0+incompatible').includes('GO-2021-0076'));
  assert.ok(ids('Go', 'github.com/evanphx/json-patch', 'v0.5.1').includes('GO-2021-0076'));
  assert.ok(!ids('Go', 'github.com/evanphx/json-patch', 'v0.5.2').includes('GO-2021-0076'));
  assert.ok(
    !ids('Go', 'github.com/evanphx/json-patch', 'v3.0.1-0.20180525145409-4c9aadca8f89+incompatible').includes(
      'GO-2021-0076',
    ),
  );
});

test('Go: a withdrawn record (GO-2024-2730) never matches', () => {
  assert.ok(!ids('Go', 'github.com/gorilla/sessions', 'v1.2.1').includes('GO-2024-2730'));
});

test("Go: a record without severity takes its alias record's severity (GO-2024-3078 ← PYSEC-2024-72)", () => {
  const match = index
    .matchComponent(component('Go', 'github.com/lf-edge/ekuiper', 'v1.14.1'))
    .find((m) => m.advisory.id === 'GO-2024-3078');
  assert.equal(match?.severity.rating, 'high');
  assert.equal(match?.severity.score, 8.8);
  assert.equal(match?.severity.fromAlias, 'PYSEC-2024-72');
  assert.ok(!ids('Go', 'github.com/lf-edge/ekuiper', 'v1.14.2').includes('GO-2024-3078'));
});

test('PyPI: a version in a record range (and its versions list) matches; the fix does not', () => {
  assert.ok(ids('PyPI', 'django', '1.0.4').includes('PYSEC-2007-1'));
  assert.ok(ids('PyPI', 'Django', '1.0.2').includes('PYSEC-2007-1'));
  assert.ok(!ids('PyPI', 'django', '1.1').includes('PYSEC-2007-1'));
});

test('PyPI: names are PEP 503-normalised and CVSS severity is computed', () => {
  const [match] = index
    .matchComponent(component('PyPI', 'Apache_SkyWalking', '1.0.1'))
    .filter((m) => m.advisory.id === 'PYSEC-2020-342');
  assert.equal(match?.severity.rating, 'critical');
  assert.equal(match?.severity.score, 9.8);
});

test('every simple Go range: the introduced version matches and the fixed version does not', () => {
  let checked = 0;
  for (const record of records) {
    if (record.withdrawn || !record.id.startsWith('GO-')) continue;
    for (const affected of record.affected ?? []) {
      const ranges = affected.ranges ?? [];
      if (ranges.length !== 1 || ranges[0]?.events.length !== 2) continue;
      const [introduced, fixed] = ranges[0].events;
      if (!introduced?.introduced || !fixed?.fixed || !affected.package) continue;
      const name = affected.package.name;
      // "0" means below everything: 0.0.0-0 is the lowest SemVer, below pseudo-version fixes.
      const start = introduced.introduced === '0' ? '0.0.0-0' : introduced.introduced;
      // Another affected entry of the same record may cover the fixed version for the same module.
      const siblings = (record.affected ?? []).filter((a) => a.package?.name === name).length;
      assert.ok(
        ids('Go', name, `v${start}`).includes(record.id),
        `${record.id} should match ${name}@${start}`,
      );
      if (siblings === 1)
        assert.ok(
          !ids('Go', name, `v${fixed.fixed}`).includes(record.id),
          `${record.id} should not match ${name}@${fixed.fixed}`,
        );
      checked++;
    }
  }
  assert.ok(checked > 3000, `checked ${checked} ranges`);
});

test('real records made malformed give typed errors with file and line', () => {
  const goFile = path.join(osvDir, 'Go', 'GO-2020-0001.json');
  const goText = readFileSync(goFile, 'utf8').replace('"fixed": "1.6.0"', '"fixed": 1.6');
  assert.throws(
    () => decodeRecord(goText, goFile, 'json'),
    (error: unknown) =>
      error instanceof InputError &&
      error.code === 'OSV_RECORD_INVALID' &&
      error.file === goFile &&
      error.line === 26,
  );
  const pyDir = path.join(osvDir, 'PyPI', 'apache-skywalking');
  const pyFile = path.join(pyDir, readdirSync(pyDir)[0] as string);
  const pyText = readFileSync(pyFile, 'utf8').replace(/^modified: .*$/m, 'modified: yesterday');
  const line = pyText.split('\n').findIndex((l) => l.startsWith('modified:')) + 1;
  assert.throws(
    () => decodeRecord(pyText, pyFile, 'yaml'),
    (error: unknown) =>
      error instanceof InputError &&
      error.code === 'OSV_RECORD_INVALID' &&
      error.line === line &&
      /RFC 3339/.test(error.message),
  );
});

test('the Go records as an osv.dev all.zip import the same as the folder', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatechain-osv-zip-'));
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(path.join(osvDir, 'Go')))
    files[name] = readFileSync(path.join(osvDir, 'Go', name));
  const archive = path.join(dir, 'all.zip');
  writeFileSync(archive, zipSync(files, { level: 6 }));
  const db = OsvDatabase.open(dir);
  try {
    const fromZip = importOsv(db, [archive]);
    assert.deepEqual(fromZip.problems, []);
    assert.equal(fromZip.summary.added, 4291);
    assert.equal(db.status().ecosystems.find((e) => e.ecosystem === 'Go')?.advisories, 4291);
    const fromFolder = importOsv(db, [path.join(osvDir, 'Go')]);
    assert.deepEqual(fromFolder.summary, {
      added: 0,
      updated: 0,
      unchanged: 4291,
      withdrawn: 0,
      rejected: 0,
    });
  } finally {
    db.close();
  }
});
