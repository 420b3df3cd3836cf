import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PredicateType } from '../../../src/model/predicate-types.ts';
import { validatePredicate } from '../../../src/model/predicates/index.ts';
import { parseStatement } from '../../../src/model/statement.ts';
import { reportedVulnerabilities } from '../../../src/policy/vulnerabilities.ts';
import { sbomStatement, vulnScanStatement } from '../../../src/scanners/vulns/attest/index.ts';
import type { VulnMatch } from '../../../src/scanners/vulns/match/index.ts';
import { component } from './helpers.ts';

const subject = [{ name: 'git+https://example.com/repo', digest: { gitCommit: 'a'.repeat(40) } }];
const scanner = {
  uri: 'pkg:npm/gatechain@0.1.0',
  version: '0.1.0',
  db: { uri: 'https://osv.dev/', version: '3 advisories', lastUpdate: '2026-05-01T00:00:00Z' },
};

const matches: VulnMatch[] = [
  {
    component: component('npm', 'lodash', '4.17.20'),
    advisory: { id: 'GHSA-b', aliases: ['CVE-2026-2'], modified: '2026-01-01T00:00:00Z' },
    severity: { rating: 'critical', score: 9.8, method: 'CVSSv3.1' },
    fixedIn: '4.17.21',
  },
  {
    component: component('Go', 'example.com/mod', 'v1.0.0', 'golang'),
    advisory: { id: 'GO-2026-1', aliases: [], modified: '2026-01-01T00:00:00Z' },
    severity: { rating: 'high', fromAlias: 'GHSA-c' },
  },
];

test('vuln-scan statement: vulns v0.2 predicate bound to the subject, valid against the schema', () => {
  const statement = vulnScanStatement(subject, scanner, matches, {
    startedOn: new Date('2026-06-01T00:00:00Z'),
    finishedOn: new Date('2026-06-01T00:00:01Z'),
  });
  assert.equal(statement.predicateType, PredicateType.vulns);
  assert.deepEqual(parseStatement(JSON.parse(JSON.stringify(statement))).subject, subject);
  assert.equal(validatePredicate(statement.predicateType, statement.predicate).validated, true);
  const { result, db } = statement.predicate.scanner;
  assert.equal(db.lastUpdate, '2026-05-01T00:00:00Z');
  assert.deepEqual(
    result.map((r) => r.id),
    ['GHSA-b', 'GO-2026-1'],
  );
  assert.deepEqual(result[0]?.severity, [
    { method: 'CVSSv3.1', score: '9.8' },
    { method: 'gatechain-rating', score: 'critical' },
  ]);
  assert.deepEqual(result[0]?.annotations, [
    { purl: 'pkg:npm/lodash@4.17.20' },
    { installedVersion: '4.17.20' },
    { fixedVersion: '4.17.21' },
    { aliases: ['CVE-2026-2'] },
  ]);
  assert.deepEqual(result[1]?.annotations, [
    { purl: 'pkg:golang/example.com/mod@v1.0.0' },
    { installedVersion: 'v1.0.0' },
    { severitySource: 'GHSA-c' },
  ]);
  assert.deepEqual(statement.predicate.metadata, {
    scanStartedOn: '2026-06-01T00:00:00.000Z',
    scanFinishedOn: '2026-06-01T00:00:01.000Z',
  });
});

test('the policy engine reads back severity, aliases and fix availability from the predicate', () => {
  const statement = vulnScanStatement(subject, scanner, matches, {
    startedOn: new Date(0),
    finishedOn: new Date(0),
  });
  assert.deepEqual(reportedVulnerabilities(PredicateType.vulns, statement.predicate), [
    { id: 'GHSA-b', aliases: ['CVE-2026-2'], severity: 'critical', hasFix: true },
    { id: 'GO-2026-1', aliases: [], severity: 'high', hasFix: false },
  ]);
});

test('sbom statement carries the CycloneDX document as predicate', () => {
  const bom = { bomFormat: 'CycloneDX', specVersion: '1.6', components: [] };
  const statement = sbomStatement(subject, bom);
  assert.equal(statement.predicateType, 'https://cyclonedx.org/bom');
  assert.equal(statement.predicate, bom);
  assert.equal(parseStatement(JSON.parse(JSON.stringify(statement))).predicateType, PredicateType.cyclonedx);
});

test('a statement without a subject is refused', () => {
  assert.throws(() => sbomStatement([], {}), TypeError);
});
