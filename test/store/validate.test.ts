import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { StoreError } from '../../src/store/errors.ts';
import { normalizeIdPrefix, normalizeTimestamp, parseSubjectDigest } from '../../src/store/validate.ts';

const fail = (message: string) => new StoreError('STORE_QUERY_INVALID', message);

test('timestamps are normalised to UTC milliseconds so that text order is time order', () => {
  const cases: [string, string][] = [
    ['2026-12-04T20:00:00Z', '2026-12-04T20:00:00.000Z'],
    ['2026-12-04t20:00:00z', '2026-12-04T20:00:00.000Z'],
    ['2026-12-04 20:00:00+02:00', '2026-12-04T18:00:00.000Z'],
    ['2026-12-04T23:30:00-01:00', '2026-12-05T00:30:00.000Z'],
    ['2026-12-04T20:00:00.123456789Z', '2026-12-04T20:00:00.123Z'],
    ['2026-12-04T20:00:00.5Z', '2026-12-04T20:00:00.500Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeTimestamp(input, 't', fail), expected, input);
  for (const bad of [
    '2026-02-29T00:00:00Z',
    '2026-12-04',
    '2026-12-04T24:00:00Z',
    '2026-12-04T20:00:00',
    '0000-01-01T00:00:00+01:00',
    '',
  ]) {
    assert.throws(
      () => normalizeTimestamp(bad, 't', fail),
      (error: unknown) => error instanceof StoreError,
      bad,
    );
  }
});

test('normalised timestamps sort as text exactly as they sort as instants', () => {
  const date = fc.date({
    min: new Date('0001-01-01T00:00:00Z'),
    max: new Date('9999-12-30T00:00:00Z'),
    noInvalidDate: true,
  });
  const offset = fc.integer({ min: -14 * 60, max: 14 * 60 });
  const rfc3339 = fc.tuple(date, offset).map(([instant, minutes]) => {
    const local = new Date(instant.getTime() + minutes * 60_000).toISOString().slice(0, 23);
    const sign = minutes < 0 ? '-' : '+';
    const abs = Math.abs(minutes);
    return {
      text: `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`,
      at: instant.getTime(),
    };
  });
  fc.assert(
    fc.property(rfc3339, rfc3339, (a, b) => {
      const x = normalizeTimestamp(a.text, 't', fail);
      const y = normalizeTimestamp(b.text, 't', fail);
      assert.equal(Date.parse(x), a.at);
      const textOrder = x < y ? -1 : x > y ? 1 : 0;
      assert.equal(textOrder, Math.sign(a.at - b.at));
    }),
  );
});

test('subject digests and id prefixes accept only their documented forms', () => {
  assert.deepEqual(parseSubjectDigest(`sha256:${'a'.repeat(64)}`), {
    algorithm: 'sha256',
    hex: 'a'.repeat(64),
  });
  assert.deepEqual(parseSubjectDigest(`gitCommit:${'b'.repeat(40)}`), {
    algorithm: 'gitCommit',
    hex: 'b'.repeat(40),
  });
  assert.deepEqual(parseSubjectDigest(`gitCommit:${'b'.repeat(64)}`), {
    algorithm: 'gitCommit',
    hex: 'b'.repeat(64),
  });
  assert.equal(normalizeIdPrefix('sha256:ABCDEF12'), 'abcdef12');
  for (const bad of [
    'sha256:',
    `sha256:${'a'.repeat(63)}`,
    `SHA256:${'A'.repeat(64)}`,
    'a:b:c',
    'gitCommit:xyz',
  ]) {
    assert.throws(
      () => parseSubjectDigest(bad),
      (error: unknown) => error instanceof StoreError && error.code === 'STORE_QUERY_INVALID',
      bad,
    );
  }
  fc.assert(
    fc.property(fc.string(), (text) => {
      try {
        normalizeIdPrefix(text);
      } catch (error) {
        assert.ok(error instanceof StoreError && error.code === 'STORE_QUERY_INVALID');
      }
    }),
  );
});
