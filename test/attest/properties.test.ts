import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  bundleDigest,
  parseBundleFile,
  parseJsonLines,
  readUntrustedStatement,
  signStatement,
  verifyAttestationBundle,
} from '../../src/attest/index.ts';
import { makeKey, onlyTypedErrors, sampleStatement } from './helpers.ts';

const key = makeKey('ed25519', 'ci');
const good = await signStatement(sampleStatement(), key.signer);
const trustedKeys = [key.trusted];

/** Arbitrary values shaped roughly like bundles, so the fuzzing reaches the deeper steps. */
const bundleLike = fc.record(
  {
    mediaType: fc.oneof(fc.constant(good.mediaType), fc.string()),
    verificationMaterial: fc.oneof(
      fc.constant(good.verificationMaterial),
      fc.record({ publicKey: fc.record({ hint: fc.oneof(fc.constant(key.trusted.keyId), fc.string()) }) }),
      fc.jsonValue(),
    ),
    dsseEnvelope: fc.oneof(
      fc.constant(good.dsseEnvelope),
      fc.record({
        payload: fc.oneof(fc.base64String(), fc.string(), fc.jsonValue()),
        payloadType: fc.oneof(fc.constant('application/vnd.in-toto+json'), fc.string(), fc.integer()),
        signatures: fc.oneof(
          fc.array(
            fc.record({
              sig: fc.oneof(fc.base64String(), fc.jsonValue()),
              keyid: fc.oneof(fc.string(), fc.jsonValue()),
            }),
          ),
          fc.jsonValue(),
        ),
      }),
      fc.jsonValue(),
    ),
    messageSignature: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

const anyInput = fc.oneof(fc.jsonValue(), bundleLike, fc.string(), fc.constant(null), fc.constant(undefined));

test('verifyAttestationBundle and readUntrustedStatement throw only typed errors on arbitrary input', () => {
  fc.assert(
    fc.property(anyInput, (input) => {
      onlyTypedErrors(() =>
        verifyAttestationBundle(input, { trustedKeys, subject: { sha256: 'a'.repeat(64) } }),
      );
      onlyTypedErrors(() => readUntrustedStatement(input));
    }),
    { numRuns: 1500 },
  );
});

test('parseBundleFile, parseJsonLines and bundleDigest throw only typed errors on arbitrary text', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 400 }),
    fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
    bundleLike.map((value) => JSON.stringify(value)),
    fc
      .array(
        bundleLike.map((value) => JSON.stringify(value.dsseEnvelope) ?? 'null'),
        { maxLength: 4 },
      )
      .map((lines) => lines.join('\n')),
  );
  fc.assert(
    fc.property(text, (input) => {
      onlyTypedErrors(() => parseBundleFile(input, 'f.sigstore.json'));
      onlyTypedErrors(() => parseJsonLines(input, 'f.intoto.jsonl'));
      onlyTypedErrors(() => bundleDigest(input));
    }),
    { numRuns: 1500 },
  );
});

test('mutating one character of a valid bundle text never yields an untyped error or a false pass on the payload', () => {
  const text = JSON.stringify(good);
  fc.assert(
    fc.property(
      fc.nat({ max: text.length - 1 }),
      fc.string({ minLength: 1, maxLength: 1 }),
      (position, replacement) => {
        const mutated = text.slice(0, position) + replacement + text.slice(position + 1);
        onlyTypedErrors(() => {
          const result = verifyAttestationBundle(mutated, { trustedKeys });
          // A mutation that still verifies (e.g. in whitespace) must not have changed the claim.
          assert.deepEqual(result.statement, sampleStatement());
        });
      },
    ),
    { numRuns: 1000 },
  );
});
