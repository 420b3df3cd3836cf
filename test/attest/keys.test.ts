import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { generateKeyPair, keyIdOf, loadSigner, loadTrustedKey } from '../../src/attest/index.ts';
import { GatechainError } from '../../src/util/errors.ts';
import { onlyTypedErrors, PASSPHRASE, withCode } from './helpers.ts';

for (const algorithm of ['ed25519', 'ecdsa-p256'] as const) {
  test(`${algorithm}: encrypted PKCS#8 private key, SPKI public key, key id = sha256(SPKI DER)`, async () => {
    const pair = generateKeyPair(algorithm, PASSPHRASE);
    assert.match(pair.privateKeyPem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.match(pair.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
    const der = createPublicKey(pair.publicKeyPem).export({ type: 'spki', format: 'der' });
    const expected = createHash('sha256').update(der).digest('hex');
    assert.equal(pair.keyId, expected);
    assert.equal(keyIdOf(pair.publicKeyPem), expected);
    // The id depends on the key, not on the PEM text: CRLF line ends give the same id.
    assert.equal(keyIdOf(pair.publicKeyPem.replaceAll('\n', '\r\n')), expected);

    const signer = loadSigner(pair.privateKeyPem, PASSPHRASE);
    assert.equal(signer.keyId, expected);
    assert.equal(signer.algorithm, algorithm);
    assert.equal(loadTrustedKey(pair.publicKeyPem, 'ci').keyId, expected);
    const signature = await signer.sign(Buffer.from('data'));
    assert.ok(signature.length > 0);
    // No key material escapes through JSON.
    assert.doesNotMatch(JSON.stringify(signer), /PRIVATE|BEGIN/);
  });
}

test('private keys use PBES2 with PBKDF2-HMAC-SHA256 at 600,000 iterations and AES-256-CBC', () => {
  const pair = generateKeyPair('ed25519', 'pässwörd ✓');
  const der = Buffer.from(pair.privateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  const has = (hex: string) => der.includes(Buffer.from(hex, 'hex'));
  assert.ok(has('06092a864886f70d01050d'), 'PBES2 OID');
  assert.ok(has('06092a864886f70d01050c'), 'PBKDF2 OID');
  assert.ok(has('06082a864886f70d0209'), 'hmacWithSHA256 OID');
  assert.ok(has('060960864801650304012a'), 'aes256-CBC OID');
  assert.ok(has('02030927c0'), 'INTEGER 600000');
  // OpenSSL (through node:crypto) decrypts it with the UTF-8 passphrase, and only with it.
  assert.equal(loadSigner(pair.privateKeyPem, 'pässwörd ✓').keyId, pair.keyId);
  assert.throws(() => loadSigner(pair.privateKeyPem, 'passwörd ✓'), withCode('KEY_PASSPHRASE_INVALID'));
});

test('a wrong passphrase is KEY_PASSPHRASE_INVALID and the message never contains the passphrase', () => {
  const pair = generateKeyPair('ed25519', PASSPHRASE);
  const attempt = 'hunter2-secret-attempt';
  assert.throws(
    () => loadSigner(pair.privateKeyPem, attempt),
    (error: unknown) => {
      assert.ok(error instanceof GatechainError);
      assert.equal(error.code, 'KEY_PASSPHRASE_INVALID');
      assert.doesNotMatch(error.describe() + JSON.stringify(error.toJSON()), /hunter2/);
      assert.equal(
        error.cause,
        undefined,
        'the OpenSSL error is not chained, so nothing can leak through it',
      );
      return true;
    },
  );
});

test('empty passphrases are refused when generating and when loading', () => {
  assert.throws(() => generateKeyPair('ed25519', ''), withCode('KEY_PASSPHRASE_EMPTY'));
  const pair = generateKeyPair('ed25519', PASSPHRASE);
  assert.throws(() => loadSigner(pair.privateKeyPem, ''), withCode('KEY_PASSPHRASE_EMPTY'));
});

test('unsupported algorithms and wrong key kinds are typed errors', () => {
  assert.throws(() => generateKeyPair('rsa' as never, PASSPHRASE), withCode('KEY_ALGORITHM_UNSUPPORTED'));
  const pair = generateKeyPair('ecdsa-p256', PASSPHRASE);
  // A private key is never accepted where a trusted public key is expected.
  assert.throws(() => loadTrustedKey(pair.privateKeyPem), withCode('KEY_FILE_INVALID'));
  // An unencrypted private key is refused as a signing key file.
  assert.throws(() => loadSigner(pair.publicKeyPem, PASSPHRASE), withCode('KEY_FILE_INVALID'));
  assert.throws(
    () => loadTrustedKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'),
    withCode('KEY_FILE_INVALID'),
  );
});

test('secp384r1 and RSA public keys are refused as trusted keys', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({
    type: 'spki',
    format: 'pem',
  });
  assert.throws(() => loadTrustedKey(p384 as string), withCode('KEY_ALGORITHM_UNSUPPORTED'));
});

test('key loaders throw only typed errors on arbitrary text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.boolean(), (text, asPublic) => {
      const pem = asPublic
        ? `-----BEGIN PUBLIC KEY-----\n${text}\n-----END PUBLIC KEY-----\n`
        : `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${text}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
      onlyTypedErrors(() => loadTrustedKey(text));
      onlyTypedErrors(() => loadTrustedKey(pem));
      onlyTypedErrors(() => loadSigner(pem, 'x'));
      onlyTypedErrors(() => keyIdOf(pem));
    }),
    { numRuns: 300 },
  );
});
