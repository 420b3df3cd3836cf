import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isStoreError, type NewAttestation, type StoreErrorCode } from '../../src/store/index.ts';
import { backends, sha256Hex, withHarness } from './helpers.ts';

/** Any UTF-16 code unit, lone surrogates and NUL included: what arbitrary callers can pass. */
const codeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
});
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), codeUnits);
const hexText = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 140 });
const digestText = fc.oneof(
  anyText,
  fc
    .tuple(fc.constantFrom('sha256', 'sha512', 'gitCommit', 'sha1', 'SHA256', 'x y', ''), hexText)
    .map(([algorithm, hex]) => `${algorithm}:${hex}`),
);
const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1, 2, 3, 4, 5, 0, -1));
const anyValue = fc.oneof(anyText, anyNumber, fc.anything());

const queryArbitrary = fc.oneof(
  fc.record(
    {
      subjectDigest: digestText,
      predicateType: anyText,
      signerKeyId: anyText,
      gate: anyNumber,
      since: fc.oneof(
        anyText,
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      ),
      limit: anyNumber,
      offset: anyNumber,
    },
    { requiredKeys: [] },
  ),
  fc.record({ subjectDigest: anyValue, gate: anyValue, limit: anyValue }, { requiredKeys: [] }),
  fc.anything(),
);

/** Well-formed text without NUL: what the store promises to keep exactly. */
const storableText = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 40 })
  .filter((text) => !text.includes('\u0000'));
const bundleText = fc.oneof(
  fc.json(),
  fc.jsonValue().map((value) => JSON.stringify({ bundle: value }, null, 2)),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
);
const createdAt = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

async function onlyTyped(promise: Promise<unknown>, allowed: StoreErrorCode[]): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isStoreError(error), `untyped error: ${String(error)}`);
    assert.ok(allowed.includes(error.code), `${error.code}: ${error.message}`);
  }
}

for (const backend of backends) {
  const runs = backend.name === 'sqlite' ? 200 : 60;
  describe(`store properties (${backend.name})`, () => {
    const skip = backend.skip;

    test('arbitrary queries return results or STORE_QUERY_INVALID, nothing else', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        await store.putAttestation({
          bundleJson: '{}',
          bundleDigest: sha256Hex('{}'),
          subjects: [{ digest: { sha256: sha256Hex('s') } }],
          predicateType: 'p',
          signerKeyId: 'k',
        });
        await fc.assert(
          fc.asyncProperty(queryArbitrary, async (query) => {
            await onlyTyped(store.findAttestations(query as never), ['STORE_QUERY_INVALID']);
            await onlyTyped(store.countAttestations(query as never), ['STORE_QUERY_INVALID']);
          }),
          { numRuns: runs },
        );
        await fc.assert(
          fc.asyncProperty(fc.oneof(anyText, hexText, anyValue), async (id) => {
            await onlyTyped(store.getAttestation(id as string), [
              'STORE_QUERY_INVALID',
              'STORE_AMBIGUOUS_ID',
            ]);
            await onlyTyped(store.getMeta(id as string), ['STORE_QUERY_INVALID']);
          }),
          { numRuns: runs },
        );
        await store.close();
      }),
    );

    test('arbitrary records are stored or refused with STORE_INPUT_INVALID, nothing else', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        const record = fc.record(
          {
            bundleJson: fc.oneof(anyText, anyValue),
            bundleDigest: fc.oneof(hexText, fc.constant(sha256Hex('x')), anyValue),
            subjects: fc.oneof(
              fc.array(
                fc.record({ name: anyValue, digest: fc.dictionary(anyText, fc.oneof(hexText, anyValue)) }),
              ),
              anyValue,
            ),
            predicateType: anyValue,
            signerKeyId: anyValue,
            gate: anyValue,
            createdAt: fc.oneof(anyText, createdAt),
            source: anyValue,
          },
          { requiredKeys: [] },
        );
        await fc.assert(
          fc.asyncProperty(fc.oneof(record, fc.anything()), async (value) => {
            await onlyTyped(store.putAttestation(value as NewAttestation), ['STORE_INPUT_INVALID']);
            await onlyTyped(store.putMeta(value as string, value as string), ['STORE_INPUT_INVALID']);
          }),
          { numRuns: runs },
        );
        await store.close();
      }),
    );

    test('arbitrary bundles and fields round-trip exactly', { skip }, () =>
      withHarness(backend, async (harness) => {
        const store = await harness.open();
        const valid = fc.record({
          bundleJson: bundleText,
          subjects: fc.array(
            fc.record(
              {
                name: storableText,
                digest: fc.record(
                  {
                    sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
                    gitCommit: fc.stringMatching(/^[0-9a-f]{40}$/),
                    custom: fc.stringMatching(/^[0-9a-f]{1,20}$/),
                  },
                  { requiredKeys: ['sha256'] },
                ),
              },
              { requiredKeys: ['digest'] },
            ),
            { minLength: 1, maxLength: 4 },
          ),
          predicateType: storableText,
          signerKeyId: storableText,
          gate: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
          createdAt,
          source: fc.option(storableText, { nil: undefined }),
        });
        await fc.assert(
          fc.asyncProperty(valid, fc.string({ unit: 'binary', maxLength: 20 }), async (fields, salt) => {
            const { gate, source, ...rest } = fields;
            const record: NewAttestation = {
              ...rest,
              bundleDigest: sha256Hex(`${fields.bundleJson}${salt}`),
            };
            if (gate !== undefined) record.gate = gate;
            if (source !== undefined) record.source = source;
            const { inserted } = await store.putAttestation(record);
            const stored = await store.getAttestation(record.bundleDigest);
            assert.ok(stored);
            assert.ok(Buffer.from(stored.bundleJson, 'utf8').equals(Buffer.from(record.bundleJson, 'utf8')));
            // fast-check builds null-prototype objects; a JSON copy compares by value only.
            if (inserted)
              assert.deepEqual(stored, JSON.parse(JSON.stringify({ ...record, id: record.bundleDigest })));
          }),
          { numRuns: runs },
        );
        await store.close();
      }),
    );
  });
}
