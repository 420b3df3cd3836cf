import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  alpineScheme,
  compareVersions,
  debianScheme,
  dottedScheme,
  mavenScheme,
  nugetScheme,
  packagistScheme,
  pep440Scheme,
  pubScheme,
  rpmScheme,
  rubygemsScheme,
  schemeFor,
  semverScheme,
  type VersionScheme,
} from '../../../src/scanners/vulns/versions/index.ts';
import { GatechainError } from '../../../src/util/errors.ts';
import { expectedSign, parseVersionCases } from './version-cases.ts';

/** Negation without producing -0, which strict equality tells apart from 0. */
const negate = (n: number) => (n === 0 ? 0 : -n);

const fixtures = path.join(import.meta.dirname, 'fixtures', 'versions');

const SCHEMES: Array<[string, VersionScheme]> = [
  ['semver.txt', semverScheme as VersionScheme],
  ['pypi.txt', pep440Scheme as VersionScheme],
  ['maven.txt', mavenScheme as VersionScheme],
  ['rubygems.txt', rubygemsScheme as VersionScheme],
  ['packagist.txt', packagistScheme as VersionScheme],
  ['nuget.txt', nugetScheme as VersionScheme],
  ['debian.txt', debianScheme as VersionScheme],
  ['alpine.txt', alpineScheme as VersionScheme],
  ['pub.txt', pubScheme as VersionScheme],
  ['dotted.txt', dottedScheme as VersionScheme],
  ['rpm.txt', rpmScheme as VersionScheme],
];

for (const [file, scheme] of SCHEMES) {
  test(`${scheme.name}: hand-written ordering cases in ${file}`, () => {
    const cases = parseVersionCases(readFileSync(path.join(fixtures, file), 'utf8'));
    assert.ok(cases.length >= 6);
    for (const c of cases) {
      assert.equal(
        compareVersions(scheme, c.left, c.right),
        expectedSign(c.op),
        `${file}:${c.line} ${c.left} ${c.op} ${c.right}`,
      );
      assert.equal(
        compareVersions(scheme, c.right, c.left),
        negate(expectedSign(c.op)),
        `${file}:${c.line} reversed`,
      );
    }
  });
}

test('a case file line that is not a comparison is refused', () => {
  assert.throws(() => parseVersionCases('1.0 ~ 2.0\n'), /line 1/);
});

test('schemeFor resolves ecosystems, including release-suffixed ones', () => {
  assert.equal(schemeFor('npm'), semverScheme);
  assert.equal(schemeFor('PyPI'), pep440Scheme);
  assert.equal(schemeFor('Debian:12'), debianScheme);
  assert.equal(schemeFor('Hackage'), dottedScheme);
  assert.equal(schemeFor('Pub'), pubScheme);
  assert.equal(schemeFor('Alpine:v3.19'), alpineScheme);
  assert.equal(schemeFor('Red Hat:rhel_aus:8.4::appstream'), rpmScheme);
  assert.equal(schemeFor('SwiftURL'), undefined);
});

// Version-like strings built from the pieces each grammar treats specially.
const PIECES = [
  '0',
  '1',
  '2',
  '9',
  '10',
  '00',
  '123456789012345678901',
  '.',
  '.',
  '-',
  '_',
  '+',
  '~',
  '^',
  ':',
  '!',
  '#',
  'a',
  'b',
  'c',
  'rc',
  'RC',
  'alpha',
  'beta',
  'dev',
  'post',
  'pre',
  'sp',
  'final',
  'ga',
  'snapshot',
  'p',
  'pl',
  'r',
  'v',
  'x',
  'Z',
];
const versionLike = (pieces: string[]) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((parts) => parts.join(''));

/**
 * PHP's version_compare ranks "#" equal to any number yet lets a trailing number outrank the end
 * of a version, so 1.2.3 = 1.2.3.# = 1.2.3.1 while 1.2.3 < 1.2.3.1: no total order can contain "#"
 * (the shared case file asserts all three). "#" is not a character Composer versions may contain,
 * so the order is held total on versions without it.
 */
const GENERATED_PIECES: Record<string, string[]> = {
  packagist: PIECES.filter((piece) => piece !== '#'),
};

/**
 * apk versions as its grammar allows them (number{.number}{letter}{_suffix{n}}{~hash}{-r#}).
 * Outside the grammar apk itself has no consistent order (the shared cases need "1-ruff2" equal to
 * both "1--ruff1" and "1-ruff1" while other malformed versions compare as text), so the total order
 * is held on well-formed versions.
 */
const apkVersion = fc
  .tuple(
    fc.array(fc.constantFrom('0', '1', '2', '10', '00', '01', '9', '123456789012345678901'), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.constantFrom('', 'a', 'b', 'z'),
    fc.array(
      fc.tuple(
        fc.constantFrom('alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'),
        fc.constantFrom('', '0', '1', '2', '10'),
      ),
      { maxLength: 2 },
    ),
    fc.constantFrom('', '~abc1', '~ff'),
    fc.constantFrom('', '-r0', '-r1', '-r10', '-r'),
  )
  .map(
    ([numbers, letter, suffixes, hash, build]) =>
      `${numbers.join('.')}${letter}${suffixes.map(([s, n]) => `_${s}${n}`).join('')}${hash}${build}`,
  );

for (const [, scheme] of SCHEMES) {
  test(`${scheme.name}: a total order on generated versions`, () => {
    const cmp = (a: string, b: string) => compareVersions(scheme, a, b);
    const generated =
      scheme.name === 'alpine' ? apkVersion : versionLike(GENERATED_PIECES[scheme.name] ?? PIECES);
    fc.assert(
      fc.property(generated, generated, generated, (a, b, c) => {
        assert.equal(cmp(a, a), 0);
        assert.equal(cmp(a, b), negate(cmp(b, a)), `antisymmetry ${a} ${b}`);
        if (cmp(a, b) <= 0 && cmp(b, c) <= 0) assert.ok(cmp(a, c) <= 0, `transitivity ${a} <= ${b} <= ${c}`);
        if (cmp(a, b) === 0 && cmp(b, c) === 0) assert.equal(cmp(a, c), 0, `equality ${a} ${b} ${c}`);
      }),
      { numRuns: 3000 },
    );
  });

  test(`${scheme.name}: arbitrary input gives an order or a typed error, never another exception`, () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), fc.string({ maxLength: 40 }), (a, b) => {
        try {
          compareVersions(scheme, a, b);
        } catch (error) {
          assert.ok(error instanceof GatechainError, String(error));
          assert.equal(error.code, 'VERSION_TOO_LONG');
        }
      }),
      { numRuns: 500 },
    );
  });
}
