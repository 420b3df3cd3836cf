import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json } from '@sigstore/core';
import fc from 'fast-check';
import {
  bundleDigest,
  parseBundleFile,
  parseJsonLines,
  readUntrustedStatement,
  signStatement,
  toJsonLines,
  verifyAttestationBundle,
} from '../../src/attest/index.ts';
import { canonicalJson } from '../../src/util/canonical-json.ts';
import { GatechainError } from '../../src/util/errors.ts';
import { makeKey, sampleStatement, withCode } from './helpers.ts';

const key = makeKey('ecdsa-p256', 'ci');

test('JSON Lines: one DSSE envelope per line, read back to the identical bundle', async () => {
  const first = await signStatement(sampleStatement(), key.signer);
  const second = await signStatement(sampleStatement('d'.repeat(64)), key.signer);
  const text = toJsonLines([first, second]);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  const envelope = JSON.parse(lines[0] ?? '');
  assert.deepEqual(Object.keys(envelope).sort(), ['payload', 'payloadType', 'signatures']);
  const back = parseJsonLines(`\n${text}\r\n`, 'chain.intoto.jsonl');
  assert.equal(back.length, 2);
  assert.equal(bundleDigest(back[0]!), bundleDigest(first));
  assert.equal(bundleDigest(back[1]!), bundleDigest(second));
  assert.ok(
    verifyAttestationBundle(back[1]!, { trustedKeys: [key.trusted], subject: { sha256: 'd'.repeat(64) } }),
  );
});

test('JSON Lines errors carry the file and the line number', async () => {
  const good = toJsonLines([await signStatement(sampleStatement(), key.signer)]);
  const text = `${good}\n{"payload": "eyJ9", "payloadType": 5, "signatures": []}\n`;
  assert.throws(
    () => parseJsonLines(text, 'x.intoto.jsonl'),
    (error: unknown) =>
      error instanceof GatechainError &&
      error.code === 'BUNDLE_MALFORMED' &&
      error.line === 3 &&
      error.file === 'x.intoto.jsonl',
  );
  assert.throws(
    () => parseJsonLines(`${good}{oops\n`, 'y.jsonl'),
    (error: unknown) => error instanceof GatechainError && error.line === 2,
  );
});

test('bundles a JSON Lines envelope cannot hold are refused, never silently trimmed', async () => {
  const bundle = structuredClone(await signStatement(sampleStatement(), key.signer));
  (bundle.verificationMaterial as Record<string, unknown>)['tlogEntries'] = [
    {
      logIndex: '1',
      logId: { keyId: 'AA==' },
      kindVersion: { kind: 'dsse', version: '0.0.1' },
      integratedTime: '1',
      canonicalizedBody: 'AA==',
      inclusionProof: {
        logIndex: '1',
        rootHash: 'AA==',
        treeSize: '2',
        hashes: [],
        checkpoint: { envelope: 'x' },
      },
    },
  ];
  assert.throws(() => toJsonLines([bundle]), withCode('BUNDLE_NOT_LINE_ENCODABLE'));
});

test('parseBundleFile returns the bundle as written and reports JSON errors by line', async () => {
  const bundle = await signStatement(sampleStatement(), key.signer);
  const text = JSON.stringify(bundle, null, 2);
  assert.deepEqual(parseBundleFile(text, 'a.sigstore.json'), bundle);
  assert.throws(
    () => parseBundleFile('{\n  "mediaType": 1,\n  oops\n}', 'b.sigstore.json'),
    (error: unknown) =>
      error instanceof GatechainError && error.code === 'BUNDLE_MALFORMED' && error.line === 3,
  );
  assert.throws(() => parseBundleFile('[]', 'c.sigstore.json'), withCode('BUNDLE_MALFORMED'));
});

test('readUntrustedStatement decodes without verifying (indexing only)', async () => {
  const bundle = structuredClone(await signStatement(sampleStatement(), key.signer));
  bundle.dsseEnvelope!.signatures[0]!.sig = Buffer.from('garbage').toString('base64');
  // It reads the claim even though the signature is garbage: that is the point, and the danger.
  assert.deepEqual(readUntrustedStatement(bundle), sampleStatement());
  assert.throws(
    () => verifyAttestationBundle(bundle, { trustedKeys: [key.trusted] }),
    withCode('SIGNATURE_INVALID'),
  );
});

test('canonicalJson agrees with @sigstore/core json.canonicalize on arbitrary JSON', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.equal(canonicalJson(value), json.canonicalize(value));
    }),
    { numRuns: 500 },
  );
});

test('canonicalJson refuses absurd nesting instead of overflowing the stack', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.throws(() => canonicalJson(deep), withCode('JSON_TOO_DEEP'));
});

test('readUntrustedStatement refuses payloads that are not in-toto', async () => {
  const { signPayload } = await import('../../src/attest/index.ts');
  const bundle = await signPayload(Buffer.from('{}'), 'application/json', key.signer);
  assert.throws(() => readUntrustedStatement(bundle), withCode('PAYLOAD_TYPE_UNSUPPORTED'));
});
