import assert from 'node:assert/strict';
import { createHash, createPrivateKey, verify as cryptoVerify, sign } from 'node:crypto';
import { test } from 'node:test';
import { parseBundleFile, signStatement, verifyAttestationBundle } from '../../src/attest/index.ts';
import { makeKey, PASSPHRASE, sampleStatement, withCode } from './helpers.ts';

// Both directions without sigstore-js in the middle: a bundle assembled by hand from the specs
// verifies in gatechain, and a gatechain bundle verifies with nothing but node:crypto.

const ec = makeKey('ecdsa-p256', 'ci');
const ed = makeKey('ed25519', 'security');

function pae(type: string, body: Buffer): Buffer {
  const typeBytes = Buffer.from(type, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${typeBytes.length} `),
    typeBytes,
    Buffer.from(` ${body.length} `),
    body,
  ]);
}

test('a bundle assembled by hand from the DSSE and bundle specs verifies', () => {
  const body = Buffer.from(JSON.stringify(sampleStatement()));
  const type = 'application/vnd.in-toto+json';
  // Sign with the private key through a fresh import of the PEM, not through gatechain's signer.
  const key = createPrivateKey({ key: ec.pair.privateKeyPem, passphrase: PASSPHRASE });
  const signature = sign('sha256', pae(type, body), key);
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: ec.pair.keyId }, tlogEntries: [] },
    dsseEnvelope: {
      payload: body.toString('base64'),
      payloadType: type,
      signatures: [{ sig: signature.toString('base64'), keyid: ec.pair.keyId }],
    },
  };
  const text = `\ufeff${JSON.stringify(bundle, null, 2)}`;
  const result = verifyAttestationBundle(parseBundleFile(text, 'hand.sigstore.json'), {
    trustedKeys: [ec.trusted, ed.trusted],
    subject: sampleStatement().subject[0]!.digest,
  });
  assert.equal(result.signer.keyId, ec.pair.keyId);
  assert.equal(
    ec.pair.keyId,
    createHash('sha256')
      .update(ec.trusted.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
  );
  // The same envelope signed by the other trusted key but naming this one is a key-id swap.
  const edKey = createPrivateKey({ key: ed.pair.privateKeyPem, passphrase: PASSPHRASE });
  bundle.dsseEnvelope.signatures[0]!.sig = sign(null, pae(type, body), edKey).toString('base64');
  assert.throws(
    () => verifyAttestationBundle(bundle, { trustedKeys: [ec.trusted, ed.trusted] }),
    withCode('KEY_ID_MISMATCH'),
  );
});

test('a gatechain bundle verifies with node:crypto alone, per the specs', async () => {
  for (const key of [ec, ed]) {
    const bundle = await signStatement(sampleStatement(), key.signer);
    const envelope = bundle.dsseEnvelope!;
    const body = Buffer.from(envelope.payload, 'base64');
    const ok = cryptoVerify(
      key.signer.algorithm === 'ed25519' ? null : 'sha256',
      pae(envelope.payloadType, body),
      key.trusted.publicKey,
      Buffer.from(envelope.signatures[0]!.sig, 'base64'),
    );
    assert.equal(ok, true, key.signer.algorithm);
    assert.deepEqual(JSON.parse(body.toString('utf8')), sampleStatement());
  }
});
