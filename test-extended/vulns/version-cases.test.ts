import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  alpineScheme,
  debianScheme,
  dottedScheme,
  mavenScheme,
  nugetScheme,
  packagistScheme,
  pep440Scheme,
  pubScheme,
  rpmScheme,
  rubygemsScheme,
  semverScheme,
  type VersionScheme,
} from '../../src/scanners/vulns/versions/index.ts';
import { expectedSign, parseVersionCases } from '../../test/scanners/vulns/version-cases.ts';

const shared = process.env['GATECHAIN_SHARED'];
if (!shared) throw new Error('GATECHAIN_SHARED must name the shared folder');

const FILES: Array<[string, VersionScheme]> = [
  ['semver-versions.txt', semverScheme as VersionScheme],
  ['pypi-versions.txt', pep440Scheme as VersionScheme],
  ['maven-versions.txt', mavenScheme as VersionScheme],
  ['rubygems-versions.txt', rubygemsScheme as VersionScheme],
  ['packagist-versions.txt', packagistScheme as VersionScheme],
  ['nuget-versions.txt', nugetScheme as VersionScheme],
  ['debian-versions.txt', debianScheme as VersionScheme],
  ['alpine-versions.txt', alpineScheme as VersionScheme],
  ['pub-versions.txt', pubScheme as VersionScheme],
  ['hackage-versions.txt', dottedScheme as VersionScheme],
  ['cran-versions.txt', dottedScheme as VersionScheme],
  ['redhat-versions.txt', rpmScheme as VersionScheme],
];

for (const [file, scheme] of FILES) {
  test(`${scheme.name} holds every case in ${file}`, () => {
    const cases = parseVersionCases(readFileSync(path.join(shared, 'data', 'versions', file), 'utf8'));
    assert.ok(cases.length > 10, `${file} should hold cases`);
    const failures: string[] = [];
    for (const c of cases) {
      const a = scheme.parse(c.left);
      const b = scheme.parse(c.right);
      const forward = Math.sign(scheme.compareParsed(a, b));
      const backward = Math.sign(scheme.compareParsed(b, a));
      const want = expectedSign(c.op);
      if (forward !== want || backward !== (want === 0 ? 0 : -want)) {
        failures.push(`${file}:${c.line}: ${c.left} ${c.op} ${c.right} (got ${forward}/${backward})`);
      }
    }
    assert.deepEqual(failures, []);
  });
}
