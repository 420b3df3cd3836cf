import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GatechainError, InputError, lineAndColumn, parseJson } from '../../src/util/errors.ts';

test('parseJson names the line and column of a syntax error', () => {
  const error = (() => {
    try {
      parseJson('{\n  "a": 1,\n  "b": ]\n}', 'x.json');
    } catch (caught) {
      return caught;
    }
  })();
  assert.ok(error instanceof InputError);
  assert.equal(error.code, 'JSON_SYNTAX');
  assert.equal(error.file, 'x.json');
  assert.equal(error.line, 3);
  assert.match(error.describe(), /^x\.json:3:\d+: /);
});

test('lineAndColumn counts from 1', () => {
  assert.deepEqual(lineAndColumn('ab\ncd', 0), { line: 1, column: 1 });
  assert.deepEqual(lineAndColumn('ab\ncd', 4), { line: 2, column: 2 });
});

test('parseJson throws only typed errors on arbitrary text', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      try {
        parseJson(text);
      } catch (error) {
        assert.ok(error instanceof GatechainError);
      }
    }),
  );
});

test('the JSON error offset points at the first invalid character', async () => {
  const { jsonErrorOffset } = await import('../../src/util/json-error-offset.ts');
  assert.equal(jsonErrorOffset('{"a": 1,, }'), 8);
  assert.equal(jsonErrorOffset('[1, 2'), 5);
  assert.equal(jsonErrorOffset('{"a" 1}'), 5);
  assert.equal(jsonErrorOffset('[1] x'), 4);
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const text = JSON.stringify(value);
      // A valid document scans to its end.
      assert.equal(jsonErrorOffset(text), text.length);
    }),
  );
});
