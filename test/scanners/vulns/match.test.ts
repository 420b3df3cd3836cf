import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  AdvisoryIndex,
  compileAffected,
  InventoryIndex,
  isAffected,
  lowestFixAbove,
  normalizePackageName,
  ParsedVersionCache,
} from '../../../src/scanners/vulns/match/index.ts';
import type { OsvAffected, OsvEvent, OsvRecord } from '../../../src/scanners/vulns/osv/index.ts';
import { component } from './helpers.ts';

function affected(
  ecosystem: string,
  events: OsvEvent[],
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT' = 'ECOSYSTEM',
  versions?: string[],
): OsvAffected {
  return {
    package: { ecosystem, name: 'p' },
    ranges: [{ type, events, ...(type === 'GIT' ? { repo: 'https://example.com/r' } : {}) }],
    ...(versions ? { versions } : {}),
  };
}

function check(entry: OsvAffected, version: string): boolean {
  return isAffected(compileAffected(entry), new ParsedVersionCache(version));
}

test('introduced "0" with fixed: everything below the fix', () => {
  const entry = affected('npm', [{ introduced: '0' }, { fixed: '1.0.2' }], 'SEMVER');
  assert.equal(check(entry, '0.0.1'), true);
  assert.equal(check(entry, '1.0.1'), true);
  assert.equal(check(entry, '1.0.2-beta.1'), true);
  assert.equal(check(entry, '1.0.2'), false);
  assert.equal(check(entry, '3.0.0'), false);
});

test('introduced is inclusive, fixed exclusive', () => {
  const entry = affected('PyPI', [{ introduced: '1.0' }, { fixed: '1.5' }]);
  assert.equal(check(entry, '0.9'), false);
  assert.equal(check(entry, '1.0.0'), true);
  assert.equal(check(entry, '1.5rc1'), true);
  assert.equal(check(entry, '1.5'), false);
});

test('last_affected is inclusive and is not a fix', () => {
  const entry = affected('Maven', [{ introduced: '0' }, { last_affected: '2.1.214' }]);
  assert.equal(check(entry, '2.1.214'), true);
  assert.equal(check(entry, '2.1.215'), false);
  assert.equal(lowestFixAbove(compileAffected(entry), new ParsedVersionCache('2.0')), undefined);
});

test('multiple introduced/fixed pairs in one range, given out of order', () => {
  const entry = affected(
    'npm',
    [{ fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' }],
    'SEMVER',
  );
  assert.equal(check(entry, '0.9.0'), false);
  assert.equal(check(entry, '1.0.1'), true);
  assert.equal(check(entry, '2.0.0'), false);
  assert.equal(check(entry, '3.1.0'), true);
  assert.equal(check(entry, '3.2.5'), false);
});

test('several ranges: affected when inside any', () => {
  const entry: OsvAffected = {
    package: { ecosystem: 'Go', name: 'p' },
    ranges: [
      { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.0' }] },
      { type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.0.4' }] },
    ],
  };
  assert.equal(check(entry, 'v1.1.9'), true);
  assert.equal(check(entry, 'v1.5.0'), false);
  assert.equal(check(entry, 'v2.0.3'), true);
  assert.equal(lowestFixAbove(compileAffected(entry), new ParsedVersionCache('v2.0.3')), '2.0.4');
  assert.equal(lowestFixAbove(compileAffected(entry), new ParsedVersionCache('v1.0.0')), '1.2.0');
});

test('limit bounds a range from above', () => {
  const entry = affected('npm', [{ introduced: '1.0.0' }, { limit: '1.5.0' }], 'SEMVER');
  assert.equal(check(entry, '1.4.9'), true);
  assert.equal(check(entry, '1.5.0'), false);
  assert.equal(check(entry, '0.9.0'), false);
  const star = affected('npm', [{ introduced: '1.0.0' }, { limit: '*' }], 'SEMVER');
  assert.equal(check(star, '99.0.0'), true);
});

test('an explicit versions list matches exactly, even without ranges', () => {
  const entry: OsvAffected = { package: { ecosystem: 'PyPI', name: 'p' }, versions: ['0.9', '1.0.1'] };
  assert.equal(check(entry, '0.9'), true);
  assert.equal(check(entry, '1.0.1'), true);
  assert.equal(check(entry, '1.0.0'), false);
});

test('GIT ranges are ignored for package matching; the versions list still counts', () => {
  const entry = affected('PyPI', [{ introduced: 'a'.repeat(40) }, { fixed: 'b'.repeat(40) }], 'GIT', ['2.0']);
  assert.equal(check(entry, '1.0'), false);
  assert.equal(check(entry, '2.0'), true);
});

test('ECOSYSTEM ranges use the ecosystem ordering (Maven qualifiers, PEP 440 pre-releases)', () => {
  const maven = affected('Maven', [{ introduced: '0' }, { fixed: '2.15.0' }]);
  assert.equal(check(maven, '2.15.0-rc1'), true);
  assert.equal(check(maven, '2.15.0.Final'), false);
  const pypi = affected('PyPI', [{ introduced: '0' }, { fixed: '2.0' }]);
  assert.equal(check(pypi, '2.0.dev1'), true);
  assert.equal(check(pypi, '2.0.post1'), false);
});

test('an ecosystem without a known ordering matches only through versions', () => {
  const entry = affected('SwiftURL', [{ introduced: '0' }, { fixed: '2.0' }], 'ECOSYSTEM', ['1.0']);
  assert.equal(check(entry, '1.0'), true);
  assert.equal(check(entry, '1.5'), false);
  assert.equal(compileAffected(entry).skippedRanges, 1);
});

test('package names normalise per ecosystem', () => {
  assert.equal(normalizePackageName('PyPI', 'Some_Package.Name'), 'some-package-name');
  assert.equal(normalizePackageName('NuGet', 'Newtonsoft.Json'), 'newtonsoft.json');
  assert.equal(
    normalizePackageName('Maven', 'org.apache.logging.log4j : log4j-core'),
    'org.apache.logging.log4j:log4j-core',
  );
  assert.equal(normalizePackageName('Go', 'github.com/Foo/Bar/'), 'github.com/Foo/Bar');
  assert.equal(normalizePackageName('npm', '@scope/pkg'), '@scope/pkg');
});

const records: OsvRecord[] = [
  {
    id: 'GHSA-aaaa',
    modified: '2024-01-01T00:00:00Z',
    aliases: ['CVE-2024-1'],
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'Some_Package' },
        ranges: [
          {
            type: 'ECOSYSTEM',
            events: [{ introduced: '0' }, { fixed: '1.2' }, { introduced: '2.0' }, { fixed: '2.3' }],
          },
        ],
      },
    ],
    database_specific: { severity: 'HIGH' },
  },
  {
    id: 'GO-2024-1',
    modified: '2024-02-01T00:00:00Z',
    aliases: ['CVE-2024-2'],
    affected: [
      {
        package: { ecosystem: 'Go', name: 'example.com/mod' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }],
      },
    ],
  },
  {
    id: 'GHSA-bbbb',
    modified: '2024-01-05T00:00:00Z',
    aliases: ['CVE-2024-2'],
    affected: [],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  },
  {
    id: 'OSV-WITHDRAWN',
    modified: '2024-03-01T00:00:00Z',
    withdrawn: '2024-03-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'Go', name: 'example.com/mod' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
      },
    ],
  },
];

test('AdvisoryIndex matches by normalised name, skips withdrawn records, finds the next fix', () => {
  const index = AdvisoryIndex.fromRecords(records);
  assert.equal(index.size, 3);
  assert.equal(index.snapshotTime, '2024-02-01T00:00:00Z');
  const [match] = index.matchComponent(component('PyPI', 'some-package', '2.1'));
  assert.equal(match?.advisory.id, 'GHSA-aaaa');
  assert.equal(match?.fixedIn, '2.3');
  assert.equal(match?.severity.rating, 'high');
  assert.equal(match?.severity.method, 'database_specific');
  assert.deepEqual(index.matchComponent(component('PyPI', 'some-package', '1.5')), []);
  const go = index.matchComponent(component('Go', 'example.com/mod', 'v1.2.2', 'golang'));
  assert.deepEqual(
    go.map((m) => m.advisory.id),
    ['GO-2024-1'],
  );
});

test('a record without severity takes the severity of a record sharing an alias', () => {
  const index = AdvisoryIndex.fromRecords(records);
  const [go] = index.matchComponent(component('Go', 'example.com/mod', 'v1.0.0', 'golang'));
  assert.equal(go?.severity.rating, 'critical');
  assert.equal(go?.severity.score, 9.8);
  assert.equal(go?.severity.fromAlias, 'GHSA-bbbb');
  const lone = AdvisoryIndex.fromRecords(records.filter((r) => r.id !== 'GHSA-bbbb'));
  assert.equal(
    lone.matchComponent(component('Go', 'example.com/mod', 'v1.0.0', 'golang'))[0]?.severity.rating,
    'unknown',
  );
});

test('InventoryIndex: one new advisory is checked by lookup against stored inventories', () => {
  const inventory = new InventoryIndex();
  inventory.add('sbom-1', [component('PyPI', 'Some.Package', '1.0'), component('npm', 'x', '1.0.0')]);
  inventory.add('sbom-2', [
    component('PyPI', 'some_package', '2.5'),
    component('PyPI', 'some-package', '2.2'),
  ]);
  assert.equal(inventory.size, 4);
  const hits = inventory.affectedBy(records[0] as OsvRecord);
  assert.deepEqual(
    hits.map((h) => [h.inventoryId, h.component.version, h.fixedIn]),
    [
      ['sbom-1', '1.0', '1.2'],
      ['sbom-2', '2.2', '2.3'],
    ],
  );
  assert.deepEqual(inventory.affectedBy(records[3] as OsvRecord), []);
});

test('the per-package position table agrees with evaluating every entry one by one', () => {
  const version = fc
    .tuple(fc.nat(4), fc.nat(4), fc.constantFrom('', '-rc.1', '-alpha'))
    .map(([a, b, pre]) => `${a}.${b}.0${pre}`);
  const event = fc.oneof(
    version.map((v) => ({ introduced: v })),
    fc.constant({ introduced: '0' }),
    version.map((v) => ({ fixed: v })),
    version.map((v) => ({ last_affected: v })),
    version.map((v) => ({ limit: v })),
  );
  const entry = fc.record({
    events: fc.array(event, { minLength: 1, maxLength: 5 }),
    versions: fc.array(version, { maxLength: 2 }),
  });
  fc.assert(
    fc.property(
      fc.array(entry, { minLength: 1, maxLength: 6 }),
      fc.array(version, { minLength: 1, maxLength: 10 }),
      (entries, installed) => {
        const recordsUnderTest: OsvRecord[] = entries.map((e, i) => ({
          id: `R-${i}`,
          modified: '2024-01-01T00:00:00Z',
          affected: [
            {
              package: { ecosystem: 'npm', name: 'p' },
              ranges: [{ type: 'SEMVER', events: e.events }],
              versions: e.versions,
            },
          ],
        }));
        const index = AdvisoryIndex.fromRecords(recordsUnderTest);
        for (const v of installed) {
          const cache = new ParsedVersionCache(v);
          const expected = recordsUnderTest
            .filter((r) => isAffected(compileAffected(r.affected?.[0] as OsvAffected), cache))
            .map((r) => [
              r.id,
              lowestFixAbove(compileAffected(r.affected?.[0] as OsvAffected), cache) ?? null,
            ]);
          const actual = index
            .matchComponent(component('npm', 'p', v))
            .map((m) => [m.advisory.id, m.fixedIn ?? null]);
          assert.deepEqual(actual, expected, v);
        }
      },
    ),
    { numRuns: 300 },
  );
});
