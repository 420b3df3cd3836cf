import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Component } from '../../../src/model/component.ts';
import {
  checkLicenses,
  DEFAULT_LICENSE_POLICY,
  type LicensePolicy,
  licenseFindings,
  parseLicensePolicy,
} from '../../../src/scanners/licenses/index.ts';
import { GatechainError, InputError } from '../../../src/util/errors.ts';

const policyText = readFileSync(join(import.meta.dirname, 'fixtures', 'policy.yaml'), 'utf8');
const policy = parseLicensePolicy(policyText, 'policy.yaml');
const NOW = new Date('2026-12-04T12:00:00Z');

function component(name: string, version: string, license: string | undefined): Component {
  const purlName = name.startsWith('@') ? `%40${name.slice(1)}` : name;
  return {
    ref: `pkg:npm/${purlName}@${version}`,
    name,
    version,
    purl: `pkg:npm/${purlName}@${version}`,
    ecosystem: 'npm',
    scope: 'production',
    direct: true,
    dependsOn: [],
    ...(license !== undefined ? { license } : {}),
    location: { file: 'package-lock.json' },
  };
}

function verdictOf(license: string | undefined, p: LicensePolicy = policy, name = 'x', version = '1.0.0') {
  const [result] = checkLicenses([component(name, version, license)], p, NOW);
  assert.ok(result);
  return result;
}

test('single ids: allow, review, deny, unknown → review', () => {
  assert.equal(verdictOf('MIT').verdict, 'allow');
  assert.equal(verdictOf('MPL-2.0').verdict, 'review');
  assert.equal(verdictOf('GPL-3.0-only').verdict, 'deny');
  const unknown = verdictOf('Zlib');
  assert.equal(unknown.verdict, 'review');
  assert.match(unknown.reason, /not on any list: Zlib/);
});

test('deny beats allow when an id is on both lists', () => {
  assert.equal(verdictOf('ISC').verdict, 'deny');
});

test('OR: any acceptable branch; AND: every branch must be acceptable', () => {
  const either = verdictOf('MIT OR GPL-3.0-only');
  assert.equal(either.verdict, 'allow');
  assert.deepEqual(either.decidingLicenses, ['MIT']);
  assert.equal(verdictOf('(GPL-3.0-only OR MPL-2.0)').verdict, 'review');
  assert.equal(verdictOf('MIT AND GPL-3.0-only').verdict, 'deny');
  assert.equal(verdictOf('MIT AND MPL-2.0').verdict, 'review');
  assert.equal(verdictOf('MIT AND (Apache-2.0 OR GPL-3.0-only)').verdict, 'allow');
  assert.equal(verdictOf('(MIT OR GPL-3.0-only) AND AGPL-3.0-or-later').verdict, 'deny');
});

test('WITH exceptions: an allowed combination overrides a denied base; otherwise the base decides', () => {
  assert.equal(verdictOf('GPL-2.0-only WITH Classpath-exception-2.0').verdict, 'allow');
  assert.equal(verdictOf('GPL-2.0-only WITH Autoconf-exception-2.0').verdict, 'deny');
  assert.equal(verdictOf('Apache-2.0 WITH LLVM-exception').verdict, 'allow');
});

test('"+" and deprecated GNU ids: or-later falls back to the -only verdict unless listed itself', () => {
  // GPL-2.0 (deprecated) means GPL-2.0-only; GPL-2.0+ means GPL-2.0-or-later.
  assert.equal(verdictOf('GPL-2.0').verdict, 'deny');
  assert.equal(verdictOf('GPL-2.0+').verdict, 'deny');
  assert.equal(verdictOf('LGPL-2.1+').verdict, 'review');
  // AGPL-3.0-or-later is denied explicitly; AGPL-3.0-only is on no list.
  assert.equal(verdictOf('AGPL-3.0-or-later').verdict, 'deny');
  assert.equal(verdictOf('AGPL-3.0-only').verdict, 'review');
  const listed: LicensePolicy = {
    ...DEFAULT_LICENSE_POLICY,
    allow: ['GPL-2.0-or-later'],
    deny: ['GPL-2.0-only'],
  };
  assert.equal(verdictOf('GPL-2.0-or-later', listed).verdict, 'allow');
  assert.equal(verdictOf('MPL-1.1+', { ...DEFAULT_LICENSE_POLICY, allow: ['MPL-1.1'] }).verdict, 'allow');
});

test('LicenseRef: prefix entries match, others are unknown', () => {
  assert.equal(verdictOf('LicenseRef-acme-internal').verdict, 'allow');
  assert.equal(verdictOf('LicenseRef-other').verdict, 'review');
});

test('non-SPDX strings get their explicit verdicts', () => {
  const cases: [string | undefined, string, string][] = [
    [undefined, 'missing', 'review'],
    ['', 'missing', 'review'],
    ['NOASSERTION', 'missing', 'review'],
    ['UNLICENSED', 'unlicensed', 'deny'],
    ['SEE LICENSE IN LICENSE.md', 'see-license-in', 'review'],
    ['Custom', 'custom', 'deny'],
    ['Proprietary', 'custom', 'deny'],
    ['MIT/Apache-2.0', 'non-spdx', 'review'],
    ['mit', 'non-spdx', 'review'],
    ['(MIT', 'non-spdx', 'review'],
  ];
  for (const [license, category, verdict] of cases) {
    const result = verdictOf(license);
    assert.equal(result.category, category, String(license));
    assert.equal(result.verdict, verdict, String(license));
  }
});

test('exceptions: purl and name@range match, expiry stops them and is reported, license pinning', () => {
  const active = verdictOf('GPL-3.0-only', policy, 'copyleft-widget', '2.0.0');
  assert.equal(active.verdict, 'allow');
  assert.equal(active.policyVerdict, 'deny');
  assert.equal(active.exception?.ticket, 'LEGAL-42');
  // Another version is not covered by a versioned purl.
  assert.equal(verdictOf('GPL-3.0-only', policy, 'copyleft-widget', '2.0.1').verdict, 'deny');
  // Expired on 2026-01-31: no longer applies, and it is reported.
  const expired = verdictOf('GPL-3.0-only', policy, '@scope/old-thing', '1.4.0');
  assert.equal(expired.verdict, 'deny');
  assert.equal(expired.exception, undefined);
  assert.deepEqual(
    expired.expiredExceptions?.map((e) => e.expires),
    ['2026-01-31'],
  );
  // Before expiry (valid through the end of the day), it applies.
  const [before] = checkLicenses(
    [component('@scope/old-thing', '1.4.0', 'GPL-3.0-only')],
    policy,
    new Date('2026-01-31T23:59:00Z'),
  );
  assert.equal(before?.verdict, 'allow');
  // Out of range: not matched at all, so not reported as expired either.
  assert.equal(verdictOf('GPL-3.0-only', policy, '@scope/old-thing', '2.0.0').expiredExceptions, undefined);
  // Pinned to a license: a change of license voids it.
  assert.equal(verdictOf('GPL-3.0-only', policy, 'pinned-lib', '9.0.0').verdict, 'allow');
  assert.equal(verdictOf('AGPL-3.0-or-later', policy, 'pinned-lib', '9.0.0').verdict, 'deny');
});

test('licenseFindings: deny high, review medium, expired exception low, allow nothing', () => {
  const results = checkLicenses(
    [
      component('a', '1.0.0', 'MIT'),
      component('b', '1.0.0', 'GPL-3.0-only'),
      component('c', '1.0.0', 'MPL-2.0'),
      component('@scope/old-thing', '1.2.3', 'GPL-3.0-only'),
    ],
    policy,
    NOW,
  );
  const findings = licenseFindings(results);
  assert.deepEqual(
    findings.map((finding) => [finding.ruleId, finding.severity, finding.location?.file]),
    [
      ['license/deny', 'high', 'b@1.0.0'],
      ['license/review', 'medium', 'c@1.0.0'],
      ['license/deny', 'high', '@scope/old-thing@1.2.3'],
      ['license/exception-expired', 'low', '@scope/old-thing@1.2.3'],
    ],
  );
  assert.ok(findings.every((finding) => finding.kind === 'license'));
});

function policyError(text: string): InputError {
  try {
    parseLicensePolicy(text, 'p.yaml');
  } catch (error) {
    assert.ok(error instanceof InputError);
    assert.equal(error.file, 'p.yaml');
    return error;
  }
  assert.fail('expected a policy error');
}

test('policy errors name the line', () => {
  assert.equal(policyError('allow:\n  - MIT\n  - Not-A-License\n').line, 3);
  assert.equal(policyError('allow: [MIT]\nunknown: maybe\n').line, 2);
  assert.equal(policyError('allow: [MIT]\ncolour: blue\n').line, 2);
  const date = policyError('exceptions:\n  - package: foo\n    justification: x\n    expires: next year\n');
  assert.equal(date.line, 4);
  assert.equal(
    policyError(
      'exceptions:\n  - package: "foo@not a range"\n    justification: x\n    expires: 2027-01-01\n',
    ).line,
    2,
  );
  const syntax = policyError('allow:\n  - MIT\n - bad indent\n');
  assert.equal(syntax.code, 'LICENSE_POLICY_SYNTAX');
  assert.equal(syntax.line, 3);
  assert.equal(policyError('- just\n- a list\n').code, 'LICENSE_POLICY_INVALID');
});

test('empty policy file gets defaults: unknown and missing to review, UNLICENSED denied', () => {
  const empty = parseLicensePolicy('', 'empty.yaml');
  assert.deepEqual(empty.allow, []);
  assert.equal(empty.unknown, 'review');
  assert.equal(empty.special.unlicensed, 'deny');
  assert.equal(verdictOf('MIT', empty).verdict, 'review');
});

test('policy parser: arbitrary text throws only GatechainError and terminates', () => {
  const yamlish = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc
      .array(
        fc.constantFrom(
          'allow:',
          'deny:',
          '  - MIT',
          '  - ',
          'exceptions:',
          '  - package: x',
          '    expires: 2020-01-01',
          '&a [*a, *a]',
          'special: {missing: deny}',
          '{',
          ']',
          ':',
          "'",
          '\t',
        ),
        { maxLength: 20 },
      )
      .map((lines) => lines.join('\n')),
  );
  fc.assert(
    fc.property(yamlish, (text) => {
      try {
        parseLicensePolicy(text, 'fuzz.yaml');
      } catch (error) {
        assert.ok(error instanceof GatechainError, String(error));
      }
    }),
    { numRuns: 400 },
  );
});

test('checkLicenses on arbitrary license strings never throws', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string(), fc.constantFrom('MIT OR', 'AND', '((((MIT', 'MIT WITH', 'GPL-2.0+ OR MIT')),
      (license) => {
        const [result] = checkLicenses([component('x', '1.0.0', license)], DEFAULT_LICENSE_POLICY, NOW);
        assert.ok(result && ['allow', 'review', 'deny'].includes(result.verdict));
      },
    ),
    { numRuns: 300 },
  );
});

test('OR and AND laws hold on generated expressions: commutative, OR ≥ branches, AND ≤ branches', () => {
  const RANK = { deny: 0, review: 1, allow: 2 } as const;
  const leaf = fc.constantFrom(
    'MIT',
    'GPL-3.0-only',
    'MPL-2.0',
    'Zlib',
    'GPL-2.0+',
    'ISC',
    'LicenseRef-acme-x',
  );
  const expression = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc
        .tuple(tie('expr'), fc.constantFrom('AND', 'OR'), tie('expr'))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
    ),
  })).expr;
  const verdict = (license: string) => RANK[verdictOf(license).verdict];
  fc.assert(
    fc.property(expression, expression, (a, b) => {
      assert.equal(verdict(`${a} OR ${b}`), verdict(`${b} OR ${a}`));
      assert.equal(verdict(`${a} AND ${b}`), verdict(`${b} AND ${a}`));
      assert.equal(verdict(`${a} OR ${b}`), Math.max(verdict(a), verdict(b)));
      assert.equal(verdict(`${a} AND ${b}`), Math.min(verdict(a), verdict(b)));
    }),
    { numRuns: 200 },
  );
});
