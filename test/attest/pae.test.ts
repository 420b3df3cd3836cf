import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import { dsse } from '@sigstore/core';

// The example of secure-systems-lab/dsse protocol.md ("Test Vectors").
const PAYLOAD_TYPE = 'http://example.com/HelloWorld';
const BODY = 'hello world';
const EXPECTED_PAE = 'DSSEv1 29 http://example.com/HelloWorld 11 hello world';
const X = 46950820868899156662930047687818585632848591499744589407958293238635476079160n;
const Y = 5640078356564379163099075877009565129882514886557779369047442380624545832820n;
const SIG_B64 = 'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==';

function coordinate(value: bigint): string {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex').toString('base64url');
}

test('the PAE used for signing reproduces the DSSE spec example byte for byte', () => {
  const pae = dsse.preAuthEncoding(PAYLOAD_TYPE, Buffer.from(BODY));
  assert.deepEqual(pae, Buffer.from(EXPECTED_PAE, 'ascii'));
});

test('PAE counts bytes, not characters, for non-ASCII payload types and bodies', () => {
  const pae = dsse.preAuthEncoding('t/é', Buffer.from('ü', 'utf8'));
  assert.deepEqual(pae, Buffer.concat([Buffer.from('DSSEv1 4 t/'), Buffer.from('é 2 ü', 'utf8')]));
});

test("the spec example's P-256 signature verifies over our PAE (raw r||s encoding)", () => {
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: coordinate(X), y: coordinate(Y) },
    format: 'jwk',
  });
  const pae = dsse.preAuthEncoding(PAYLOAD_TYPE, Buffer.from(BODY));
  const signature = Buffer.from(SIG_B64, 'base64');
  assert.equal(verify('sha256', pae, { key, dsaEncoding: 'ieee-p1363' }, signature), true);
  // One changed byte in the body must break it.
  const tampered = dsse.preAuthEncoding(PAYLOAD_TYPE, Buffer.from('hello worle'));
  assert.equal(verify('sha256', tampered, { key, dsaEncoding: 'ieee-p1363' }, signature), false);
});
