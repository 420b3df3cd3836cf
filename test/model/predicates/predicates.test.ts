import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as CDX from '@cyclonedx/cyclonedx-library';
import fc from 'fast-check';
import { PredicateType } from '../../../src/model/predicate-types.ts';
import { PREDICATE_DEFINITIONS, schemaUrl, validatePredicate } from '../../../src/model/predicates/index.ts';
import { GatechainError } from '../../../src/util/errors.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

test('one registry row per predicate type, each with a schema file that exists', () => {
  const uris = PREDICATE_DEFINITIONS.map((definition) => definition.uri).sort();
  assert.deepEqual(uris, Object.values(PredicateType).sort());
  const schemaFiles = readdirSync(new URL('../../../schemas/', import.meta.url)).filter((name) =>
    name.endsWith('.schema.json'),
  );
  assert.deepEqual(
    PREDICATE_DEFINITIONS.map((definition) => definition.schemaFile).sort(),
    schemaFiles.sort(),
  );
  for (const definition of PREDICATE_DEFINITIONS) {
    const schema = JSON.parse(readFileSync(schemaUrl(definition), 'utf8'));
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema', definition.alias);
  }
});

for (const definition of PREDICATE_DEFINITIONS) {
  if (definition.alias === 'cyclonedx') continue;
  test(`${definition.alias}: a valid example passes, an invalid one fails with PREDICATE_INVALID`, () => {
    assert.deepEqual(validatePredicate(definition.uri, fixture(`${definition.alias}.valid.json`)), {
      type: definition.uri,
      validated: true,
    });
    assert.throws(
      () => validatePredicate(definition.alias, fixture(`${definition.alias}.invalid.json`), 'p.json'),
      (error: unknown) =>
        error instanceof GatechainError && error.code === 'PREDICATE_INVALID' && error.file === 'p.json',
    );
  });
}

test('cyclonedx: a BOM serialised by @cyclonedx/cyclonedx-library passes; a non-CycloneDX document fails', () => {
  const bom = new CDX.Models.Bom();
  bom.components.add(
    new CDX.Models.Component(CDX.Enums.ComponentType.Library, 'left-pad', { version: '1.3.0' }),
  );
  const serializer = new CDX.Serialize.JsonSerializer(
    new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6),
  );
  const json = JSON.parse(serializer.serialize(bom));
  assert.equal(validatePredicate('sbom', json).validated, true);
  assert.throws(
    () => validatePredicate('cyclonedx', fixture('cyclonedx.invalid.json')),
    (error: unknown) => error instanceof GatechainError && error.code === 'PREDICATE_INVALID',
  );
});

test('gatechain predicates check their own rules: expiry is RFC 3339, vulnerability ids are listed once', () => {
  const base = fixture('vuln-exception.valid.json') as Record<string, unknown>;
  assert.throws(() => validatePredicate('vuln-exception', { ...base, expires: '2027-01-31' }), {
    code: 'PREDICATE_INVALID',
  });
  assert.throws(() => validatePredicate('vuln-exception', { ...base, vulnerabilities: ['CVE-1', 'CVE-1'] }), {
    code: 'PREDICATE_INVALID',
  });
  assert.throws(() => validatePredicate('vuln-exception', { ...base, vulnerabilities: [] }), {
    code: 'PREDICATE_INVALID',
  });
  const glass = fixture('break-glass.valid.json') as Record<string, unknown>;
  const { ttlSeconds: _ttl, ...withoutTtl } = glass;
  assert.equal(validatePredicate('break-glass', withoutTtl).validated, true, 'ttlSeconds defaults to 7200');
});

test('unknown predicate types are allowed but reported as unvalidated', () => {
  assert.deepEqual(validatePredicate('https://example.com/custom/v1', { anything: 1 }), {
    type: 'https://example.com/custom/v1',
    validated: false,
  });
});

test('validatePredicate throws only typed errors on arbitrary input', () => {
  const types = PREDICATE_DEFINITIONS.map((definition) => definition.uri);
  fc.assert(
    fc.property(fc.constantFrom(...types, 'x'), fc.jsonValue(), (type, value) => {
      try {
        validatePredicate(type, value);
      } catch (error) {
        if (!(error instanceof GatechainError)) throw error;
      }
    }),
    { numRuns: 800 },
  );
});
