import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { digestSetsMatch, parseDigestString } from '../../src/model/digest.ts';
import { parseStatement, STATEMENT_TYPE_V1, STATEMENT_TYPE_V01 } from '../../src/model/statement.ts';
import { GatechainError } from '../../src/util/errors.ts';

const sha = 'a'.repeat(64);

test('statement v1 and v0.1 parse; wrong _type is refused with its own code', () => {
  const base = { subject: [{ name: 'x', digest: { sha256: sha } }], predicateType: 'p', predicate: {} };
  assert.equal(parseStatement({ _type: STATEMENT_TYPE_V1, ...base })._type, STATEMENT_TYPE_V1);
  assert.equal(parseStatement({ _type: STATEMENT_TYPE_V01, ...base })._type, STATEMENT_TYPE_V01);
  assert.throws(
    () => parseStatement({ _type: 'https://in-toto.io/Statement/v2', ...base }),
    (error: unknown) => error instanceof GatechainError && error.code === 'STATEMENT_TYPE_UNSUPPORTED',
  );
});

test('subject digests must be lowercase hex of the right length', () => {
  const bad = [{ sha256: sha.toUpperCase() }, { sha256: 'abc' }, {}, { gitCommit: 'z'.repeat(40) }];
  for (const digest of bad) {
    assert.throws(
      () =>
        parseStatement({
          _type: STATEMENT_TYPE_V1,
          subject: [{ digest }],
          predicateType: 'p',
          predicate: {},
        }),
      (error: unknown) => error instanceof GatechainError && error.code === 'DIGEST_INVALID',
    );
  }
});

test('digest sets match only on a shared algorithm with equal values', () => {
  assert.equal(digestSetsMatch({ sha256: sha }, { sha256: sha, sha512: 'b'.repeat(128) }), true);
  assert.equal(digestSetsMatch({ sha256: sha }, { sha512: 'b'.repeat(128) }), false);
  assert.equal(
    digestSetsMatch({ sha256: sha, gitCommit: 'c'.repeat(40) }, { sha256: sha, gitCommit: 'd'.repeat(40) }),
    false,
  );
  assert.deepEqual(parseDigestString(`sha256:${sha}`), { algorithm: 'sha256', hex: sha });
});

test('parseStatement throws only typed errors on arbitrary JSON values', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      try {
        parseStatement(value);
      } catch (error) {
        assert.ok(error instanceof GatechainError);
      }
    }),
  );
});
