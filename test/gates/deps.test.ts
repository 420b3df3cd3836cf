import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type IgnoreEntry, parseIgnoreFile } from '../../src/gates/deps/ignore-file.ts';
import { decideDeps, type VerifiedVulnException } from '../../src/gates/deps.ts';
import type { Severity } from '../../src/model/severity.ts';
import type { VulnMatch } from '../../src/scanners/vulns/match/index.ts';
import { GatechainError, InputError } from '../../src/util/errors.ts';
import { component } from '../scanners/vulns/helpers.ts';

const NOW = new Date('2026-06-15T12:00:00Z');

function match(
  id: string,
  rating: Severity,
  fixedIn?: string,
  aliases: string[] = [],
  name = 'lodash',
  version = '4.17.20',
): VulnMatch {
  return {
    component: component('npm', name, version),
    advisory: { id, aliases, modified: '2026-01-01T00:00:00Z' },
    severity: { rating },
    ...(fixedIn ? { fixedIn } : {}),
  };
}

test('default policy blocks critical findings that have a fix, and nothing else', () => {
  const result = decideDeps(
    [
      match('A', 'critical', '4.17.21'),
      match('B', 'critical'),
      match('C', 'high', '1.0.0'),
      match('D', 'unknown', '1.0.0'),
    ],
    { now: NOW },
  );
  assert.equal(result.verdict, 'block');
  assert.deepEqual(
    result.findings.map((f) => [f.match.advisory.id, f.decision]),
    [
      ['A', 'block'],
      ['B', 'allow'],
      ['C', 'allow'],
      ['D', 'allow'],
    ],
  );
  assert.match(result.findings[1]?.reason ?? '', /no fixed version/);
  assert.deepEqual(result.counts, { block: 1, allow: 3, ignored: 0, excepted: 0 });
});

test('thresholds: at or above failOn, with or without a fix', () => {
  const matches = [match('A', 'high', '2.0.0'), match('B', 'medium'), match('C', 'low', '1.0.0')];
  const high = decideDeps(matches, { now: NOW, policy: { failOn: 'high' } });
  assert.deepEqual(
    high.findings.map((f) => f.decision),
    ['block', 'allow', 'allow'],
  );
  const mediumAny = decideDeps(matches, { now: NOW, policy: { failOn: 'medium', requireFix: false } });
  assert.deepEqual(
    mediumAny.findings.map((f) => f.decision),
    ['block', 'block', 'allow'],
  );
  assert.equal(
    decideDeps([match('C', 'low', '1.0.0')], { now: NOW, policy: { failOn: 'high' } }).verdict,
    'pass',
  );
});

test('audit mode reports what would block but passes', () => {
  const result = decideDeps([match('A', 'critical', '1.0.0')], { now: NOW, policy: { mode: 'audit' } });
  assert.equal(result.verdict, 'pass');
  assert.equal(result.wouldBlock, 1);
});

function ignore(entry: Partial<IgnoreEntry> & { id: string; expires: string }): IgnoreEntry {
  const text = `ignore:\n  - id: ${entry.id}\n    reason: accepted\n    expires: "${entry.expires}"\n${entry.purl ? `    purl: "${entry.purl}"\n` : ''}${entry.package ? `    package: ${entry.package}\n` : ''}${entry.ticket ? `    ticket: ${entry.ticket}\n` : ''}`;
  return parseIgnoreFile(text, 'ignore.yaml')[0] as IgnoreEntry;
}

test('an ignore entry suppresses until it expires; then it is reported as expired and stops suppressing', () => {
  const findings = [match('GHSA-1', 'critical', '4.17.21', ['CVE-2026-1'])];
  const valid = decideDeps(findings, {
    now: NOW,
    ignores: [ignore({ id: 'CVE-2026-1', expires: '2026-06-15', ticket: 'SEC-1' })],
  });
  assert.equal(valid.verdict, 'pass');
  assert.equal(valid.findings[0]?.decision, 'ignored');
  assert.deepEqual(valid.findings[0]?.suppression, {
    kind: 'ignore-file',
    justification: 'accepted',
    expires: '2026-06-15',
    ticket: 'SEC-1',
  });
  assert.deepEqual(valid.expiredIgnores, []);
  const expired = decideDeps(findings, {
    now: NOW,
    ignores: [ignore({ id: 'GHSA-1', expires: '2026-06-14' })],
  });
  assert.equal(expired.verdict, 'block');
  assert.equal(expired.findings[0]?.decision, 'block');
  assert.match(expired.findings[0]?.reason ?? '', /ignore entry expired 2026-06-14/);
  assert.deepEqual(
    expired.expiredIgnores.map((e) => e.id),
    ['GHSA-1'],
  );
});

test('an ignore entry narrowed by purl or package only covers that package', () => {
  const findings = [
    match('GHSA-1', 'critical', '2.0.0', [], 'lodash', '1.0.0'),
    match('GHSA-1', 'critical', '2.0.0', [], 'other', '1.0.0'),
  ];
  const byPurl = decideDeps(findings, {
    now: NOW,
    ignores: [ignore({ id: 'GHSA-1', expires: '2027-01-01', purl: 'pkg:npm/lodash' })],
  });
  assert.deepEqual(
    byPurl.findings.map((f) => f.decision),
    ['ignored', 'block'],
  );
  const byExactPurl = decideDeps(findings, {
    now: NOW,
    ignores: [ignore({ id: 'GHSA-1', expires: '2027-01-01', purl: 'pkg:npm/lodash@0.9.0' })],
  });
  assert.deepEqual(
    byExactPurl.findings.map((f) => f.decision),
    ['block', 'block'],
  );
  const byName = decideDeps(findings, {
    now: NOW,
    ignores: [ignore({ id: 'GHSA-1', expires: '2027-01-01', package: 'other' })],
  });
  assert.deepEqual(
    byName.findings.map((f) => f.decision),
    ['block', 'ignored'],
  );
});

test('verified vuln-exceptions are honoured until expiry, matching by id or alias and purl scope', () => {
  const findings = [match('GO-2026-1', 'critical', '1.2.3', ['CVE-2026-9', 'GHSA-xxxx'])];
  const exception = (expires: string, extra: Partial<VerifiedVulnException> = {}): VerifiedVulnException => ({
    ticket: 'RISK-7',
    vulnerabilities: ['GHSA-xxxx'],
    expires,
    ...extra,
  });
  const honoured = decideDeps(findings, { now: NOW, exceptions: [exception('2026-07-01T00:00:00Z')] });
  assert.equal(honoured.verdict, 'pass');
  assert.equal(honoured.findings[0]?.decision, 'excepted');
  assert.match(honoured.findings[0]?.reason ?? '', /RISK-7/);
  const lapsed = decideDeps(findings, { now: NOW, exceptions: [exception('2026-06-15T11:59:59Z')] });
  assert.equal(lapsed.verdict, 'block');
  assert.equal(lapsed.expiredExceptions.length, 1);
  assert.match(lapsed.findings[0]?.reason ?? '', /vuln-exception RISK-7 expired/);
  const otherPackage = decideDeps(findings, {
    now: NOW,
    exceptions: [exception('2027-01-01T00:00:00Z', { purls: ['pkg:npm/react'] })],
  });
  assert.equal(otherPackage.verdict, 'block');
  const unrelated = decideDeps(findings, {
    now: NOW,
    exceptions: [exception('2027-01-01T00:00:00Z', { vulnerabilities: ['CVE-1999-1'] })],
  });
  assert.equal(unrelated.verdict, 'block');
});

test('ignore file: entries parse with line numbers; expiry is the end of the named day', () => {
  const entries = parseIgnoreFile(
    [
      '# accepted risks',
      'ignore:',
      '  - id: GHSA-aaaa',
      '    package: lodash',
      '    reason: not reachable',
      '    ticket: 4711',
      '    expires: 2026-06-15',
      '  - id: CVE-2026-2',
      '    purl: pkg:pypi/django',
      '    reason: patched downstream',
      '    expires: 2026-06-15T12:00:00Z',
    ].join('\n'),
    'ignore.yaml',
  );
  assert.equal(entries.length, 2);
  assert.equal(entries[0]?.line, 3);
  assert.equal(entries[0]?.ticket, '4711');
  assert.equal(entries[0]?.expiresAtMs, Date.parse('2026-06-16T00:00:00Z'));
  assert.equal(entries[1]?.line, 8);
  assert.equal(entries[1]?.expiresAtMs, Date.parse('2026-06-15T12:00:00Z'));
  assert.deepEqual(parseIgnoreFile('', 'empty.yaml'), []);
  assert.deepEqual(parseIgnoreFile('ignore: []\n', 'empty.yaml'), []);
});

test('ignore file: bad entries are typed errors naming file and line', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['ignore:\n  - id: X\n    reason: r\n', 2, /missing "expires"/],
    ['ignore:\n  - id: X\n    reason: r\n    expires: next week\n', 4, /must be a date/],
    [
      'ignore:\n  - id: X\n    reason: r\n    expires: 2026-01-01\n    severity: low\n',
      5,
      /unknown ignore entry field/,
    ],
    ['ignore:\n  - id: X\n    expires: 2026-01-01\n', 2, /missing "reason"/],
    [
      'ignore:\n  - id: X\n    reason: r\n    expires: 2026-01-01\n    purl: npm/lodash\n',
      5,
      /must start with "pkg:"/,
    ],
    ['ignore: {}\n', 1, /must be a list/],
    ['- just a list\n', 1, /must be a mapping/],
    ['ignore:\n  - id: [unclosed\n', 3, /not valid YAML/],
  ];
  for (const [text, line, message] of cases) {
    assert.throws(
      () => parseIgnoreFile(text, 'vuln-ignore.yaml'),
      (error: unknown) =>
        error instanceof InputError &&
        error.file === 'vuln-ignore.yaml' &&
        error.line === line &&
        message.test(error.message),
      text,
    );
  }
});

test('ignore file: arbitrary input gives entries or typed errors only', () => {
  const yamlish = fc.array(
    fc.constantFrom(
      'ignore:',
      '\n',
      '  - ',
      'id: X',
      '    reason: r',
      '    expires: 2026-01-01',
      '&a ',
      '*a',
      '[',
      ']',
      '{',
      '}',
      ': ',
      '"',
      "'",
      '#',
    ),
    { maxLength: 30 },
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        yamlish.map((p) => p.join('')),
      ),
      (text) => {
        try {
          parseIgnoreFile(text, 'f.yaml');
        } catch (error) {
          assert.ok(error instanceof GatechainError, String(error));
        }
      },
    ),
    { numRuns: 1000 },
  );
});

test('staleness warning after seven days without an import; summary names expired exceptions', async () => {
  const { stalenessWarning, summaryLine } = await import('../../src/gates/deps/run.ts');
  const db = (finishedAt?: string) => ({
    path: 'osv.db',
    advisories: 1,
    withdrawn: 0,
    newestModified: undefined,
    lastImport: finishedAt ? { startedAt: finishedAt, finishedAt, sources: [] } : undefined,
    ecosystems: [],
  });
  const gate = decideDeps([match('GHSA-1', 'critical', '1.0.0')], {
    now: NOW,
    exceptions: [{ ticket: 'RISK-1', vulnerabilities: ['GHSA-1'], expires: '2026-01-01T00:00:00Z' }],
  });
  const run = (finishedAt?: string) => ({
    scan: {
      inventory: { root: '.', components: [], sources: [] },
      matches: [],
      db: db(finishedAt),
      startedOn: NOW,
      finishedOn: NOW,
    },
    gate,
  });
  assert.equal(stalenessWarning(run('2026-06-10T00:00:00Z'), NOW), undefined);
  assert.match(stalenessWarning(run('2026-06-01T00:00:00Z'), NOW) ?? '', /last imported 14 days ago/);
  assert.match(stalenessWarning(run(), NOW) ?? '', /no recorded import/);
  assert.match(
    summaryLine(run('2026-06-10T00:00:00Z')),
    /1 blocking.*BLOCK\nexpired vuln-exceptions \(no longer apply\): RISK-1 for GHSA-1/,
  );
});
