import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import {
  decodeRecord,
  importOsv,
  OsvDatabase,
  type OsvRecord,
} from '../../../src/scanners/vulns/osv/index.ts';
import { GatechainError, InputError } from '../../../src/util/errors.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const fixedClock = () => new Date('2026-01-02T03:04:05Z');

function tempStore(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'gatechain-osv-'));
}

function record(id: string, modified: string, extra: Partial<OsvRecord> = {}): OsvRecord {
  return {
    id,
    modified,
    affected: [
      {
        package: { ecosystem: 'npm', name: 'pkg' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
      },
    ],
    ...extra,
  };
}

test('imports a folder recursively: JSON and YAML records, other files skipped', () => {
  const db = OsvDatabase.open(tempStore());
  try {
    const result = importOsv(db, [path.join(fixtures, 'osv')], { now: fixedClock });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.summary, { added: 3, updated: 0, unchanged: 0, withdrawn: 0, rejected: 0 });
    assert.equal(db.get('PYSEC-2099-1')?.affected?.[0]?.package?.name, 'Some_Package');
    const status = db.status();
    assert.equal(status.advisories, 3);
    assert.deepEqual(
      status.ecosystems.map((e) => [e.ecosystem, e.advisories, e.newestModified]),
      [
        ['Go', 1, '2024-06-01T00:00:00.000Z'],
        ['PyPI', 1, '2024-03-01T12:00:00.123Z'],
        ['npm', 1, '2024-05-01T00:00:00.000Z'],
      ],
    );
    assert.equal(status.newestModified, '2024-06-01T00:00:00.000Z');
    assert.equal(status.lastImport?.finishedAt, '2026-01-02T03:04:05.000Z');
    // The same texts again change nothing (they are recognised by digest, without parsing).
    const again = importOsv(db, [path.join(fixtures, 'osv')]);
    assert.deepEqual(again.summary, { added: 0, updated: 0, unchanged: 3, withdrawn: 0, rejected: 0 });
    assert.equal(db.status().advisories, 3);
  } finally {
    db.close();
  }
});

test('recordsForPackages reads only the named packages, plus their alias records', () => {
  const db = OsvDatabase.open(tempStore());
  try {
    importOsv(db, [path.join(fixtures, 'osv')]);
    const forGo = db.recordsForPackages([{ ecosystem: 'Go', name: 'example.com/mod' }]).map((r) => r.id);
    // GHSA-test-0001 is an alias of the Go record: needed for its severity.
    assert.deepEqual(forGo.sort(), ['GHSA-test-0001', 'GO-2099-0001']);
    const forPyPI = db.recordsForPackages([
      { ecosystem: 'PyPI', name: 'some.package' },
      { ecosystem: 'PyPI', name: 'SOME_PACKAGE' },
    ]);
    assert.deepEqual(
      forPyPI.map((r) => r.id),
      ['PYSEC-2099-1'],
    );
    assert.deepEqual(db.recordsForPackages([{ ecosystem: 'npm', name: 'unknown' }]), []);
  } finally {
    db.close();
  }
});

test('imports single JSON and YAML files named on the command line', () => {
  const db = OsvDatabase.open(tempStore());
  try {
    const result = importOsv(db, [
      path.join(fixtures, 'osv', 'GHSA-test-0001.json'),
      path.join(fixtures, 'osv', 'nested', 'deeper', 'PYSEC-2099-1.yaml'),
    ]);
    assert.equal(result.summary.added, 2);
    assert.deepEqual(db.get('GHSA-test-0001')?.aliases, ['CVE-2024-0001']);
  } finally {
    db.close();
  }
});

test('imports an osv.dev all.zip archive, built here with fflate', () => {
  const dir = tempStore();
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const archive = zipSync({
    'GHSA-aaaa-0001.json': encode(record('GHSA-aaaa-0001', '2024-01-01T00:00:00Z')),
    'GHSA-aaaa-0002.json': encode(record('GHSA-aaaa-0002', '2024-01-02T00:00:00Z')),
    'broken.json': new TextEncoder().encode('{"id": "X", '),
  });
  const zipPath = path.join(dir, 'all.zip');
  writeFileSync(zipPath, archive);
  const db = OsvDatabase.open(dir);
  try {
    const progress: number[] = [];
    const result = importOsv(db, [zipPath], { batchSize: 1, onProgress: (p) => progress.push(p.read) });
    assert.equal(result.summary.added, 2);
    assert.equal(result.summary.rejected, 1);
    assert.equal(result.problems[0]?.code, 'JSON_SYNTAX');
    assert.equal(result.problems[0]?.file, `${zipPath}:broken.json`);
    assert.ok(progress.length >= 2, 'progress is reported per batch');
    assert.equal(db.get('GHSA-aaaa-0002')?.modified, '2024-01-02T00:00:00Z');
  } finally {
    db.close();
  }
});

test('a file that is not a zip archive is reported, not thrown', () => {
  const dir = tempStore();
  const fake = path.join(dir, 'all.zip');
  writeFileSync(fake, 'this is not a zip archive at all');
  const db = OsvDatabase.open(dir);
  try {
    const result = importOsv(db, [fake]);
    assert.equal(result.summary.rejected, 1);
    assert.equal(result.problems[0]?.code, 'OSV_ARCHIVE_INVALID');
  } finally {
    db.close();
  }
});

test('incremental update: only a strictly newer modified replaces; withdrawn records are kept as withdrawn', () => {
  const dir = tempStore();
  const write = (name: string, value: OsvRecord) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  const db = OsvDatabase.open(dir);
  try {
    importOsv(db, [write('a.json', record('OSV-1', '2024-01-01T00:00:00Z', { summary: 'first' }))]);
    const older = importOsv(db, [
      write('b.json', record('OSV-1', '2023-12-31T00:00:00Z', { summary: 'older' })),
    ]);
    assert.equal(older.summary.unchanged, 1);
    const same = importOsv(db, [
      write('c.json', record('OSV-1', '2024-01-01T00:00:00Z', { summary: 'same time' })),
    ]);
    assert.equal(same.summary.unchanged, 1);
    assert.equal(db.get('OSV-1')?.summary, 'first');
    const newer = importOsv(db, [
      write(
        'd.json',
        record('OSV-1', '2024-02-01T00:00:00Z', { summary: 'newer', withdrawn: '2024-02-01T00:00:00Z' }),
      ),
    ]);
    assert.deepEqual(newer.summary, { added: 0, updated: 1, unchanged: 0, withdrawn: 1, rejected: 0 });
    assert.equal(db.get('OSV-1')?.summary, 'newer');
    assert.equal(db.status().withdrawn, 1);
  } finally {
    db.close();
  }
});

test('malformed records give typed errors with file and line, and good records still import', () => {
  const db = OsvDatabase.open(tempStore());
  try {
    // Broken YAML is written here rather than kept as a fixture, so linters never parse it.
    const extra = mkdtempSync(path.join(os.tmpdir(), 'gatechain-osv-bad-'));
    writeFileSync(
      path.join(extra, 'syntax.yaml'),
      'id: BAD-5\nmodified: 2024-01-01T00:00:00Z\naffected:\n  - package: [unclosed\n',
    );
    const result = importOsv(db, [path.join(fixtures, 'malformed'), extra, path.join(fixtures, 'osv')]);
    assert.equal(result.summary.added, 3);
    assert.equal(result.summary.rejected, 5);
    const byFile = new Map(result.problems.map((p) => [path.basename(p.file ?? ''), p]));
    const expect = (file: string, code: string, line: number, text: RegExp) => {
      const problem = byFile.get(file);
      assert.ok(problem instanceof InputError, `${file} is reported`);
      assert.equal(problem.code, code, file);
      assert.equal(problem.line, line, file);
      assert.match(problem.message, text, file);
    };
    expect('missing-modified.json', 'OSV_RECORD_INVALID', 1, /modified/);
    expect('bad-event.json', 'OSV_RECORD_INVALID', 11, /exactly one of/);
    expect('bad-type.yaml', 'OSV_RECORD_INVALID', 8, /SEMVER, ECOSYSTEM or GIT/);
    expect('syntax.json', 'JSON_SYNTAX', 4, /not valid JSON/);
    expect('syntax.yaml', 'YAML_SYNTAX', 5, /not valid YAML/);
  } finally {
    db.close();
  }
});

test('a missing path is reported as a problem', () => {
  const db = OsvDatabase.open(tempStore());
  try {
    const result = importOsv(db, [path.join(fixtures, 'does-not-exist')]);
    assert.equal(result.problems[0]?.code, 'OSV_SOURCE_MISSING');
  } finally {
    db.close();
  }
});

test('YAML alias expansion is limited (billion laughs)', () => {
  const bomb = [
    'id: BOMB',
    'modified: 2024-01-01T00:00:00Z',
    'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  ].join('\n');
  assert.throws(
    () => decodeRecord(bomb, 'bomb.yaml', 'yaml'),
    (error: unknown) =>
      error instanceof InputError && error.code === 'YAML_SYNTAX' && error.file === 'bomb.yaml',
  );
});

test('the real fixture text round-trips through decodeRecord', () => {
  const text = readFileSync(path.join(fixtures, 'osv', 'nested', 'deeper', 'PYSEC-2099-1.yaml'), 'utf8');
  const decoded = decodeRecord(text, 'x.yaml', 'yaml');
  assert.equal(decoded.affected?.[0]?.ranges?.[0]?.events[1]?.last_affected, '1.4.2');
});

test('decodeRecord: arbitrary text or JSON values give only typed errors', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 })),
      fc.constantFrom('json', 'yaml' as const),
      (text, format) => {
        try {
          decodeRecord(text, 'fuzz', format as 'json' | 'yaml');
        } catch (error) {
          assert.ok(error instanceof GatechainError, String(error));
          assert.equal(error.file, 'fuzz');
        }
      },
    ),
    { numRuns: 400 },
  );
});

test('decodeRecord: mutated valid records give only typed errors', () => {
  const base = record('OSV-9', '2024-01-01T00:00:00Z');
  fc.assert(
    fc.property(
      fc.constantFrom('id', 'modified', 'affected', 'aliases', 'severity', 'withdrawn'),
      fc.anything(),
      (key, value) => {
        try {
          decodeRecord(JSON.stringify({ ...base, [key]: value }), 'mut.json', 'json');
        } catch (error) {
          assert.ok(error instanceof GatechainError, String(error));
        }
      },
    ),
    { numRuns: 400 },
  );
});
