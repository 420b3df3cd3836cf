import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import {
  bundleDigest,
  signPayload,
  signStatement,
  VERIFICATION_STEPS,
  verifyAttestationBundle,
} from '../../src/attest/index.ts';
import { IN_TOTO_PAYLOAD_TYPE } from '../../src/model/statement.ts';
import { canonicalJson } from '../../src/util/canonical-json.ts';
import { ARTIFACT_SHA256, makeKey, sampleStatement, type TestKey, withCode } from './helpers.ts';

const ed = makeKey('ed25519', 'ci');
const ec = makeKey('ecdsa-p256', 'security');
const outsider = makeKey('ed25519', 'outsider');
const trustedKeys = [ed.trusted, ec.trusted];

function clone(bundle: SerializedBundle): SerializedBundle {
  return structuredClone(bundle);
}

function payloadOf(bundle: SerializedBundle): Record<string, unknown> {
  return JSON.parse(Buffer.from(bundle.dsseEnvelope!.payload, 'base64').toString('utf8'));
}

for (const key of [ed, ec]) {
  test(`${key.signer.algorithm}: sign → verify round trip, through gatechain and through @sigstore/verify directly`, async () => {
    const bundle = await signStatement(sampleStatement(), key.signer);
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(bundle.verificationMaterial.publicKey?.hint, key.signer.keyId);
    assert.equal(bundle.dsseEnvelope?.payloadType, IN_TOTO_PAYLOAD_TYPE);
    assert.equal(bundle.dsseEnvelope?.signatures[0]?.keyid, key.signer.keyId);

    const result = verifyAttestationBundle(bundle, { trustedKeys, subject: { sha256: ARTIFACT_SHA256 } });
    assert.deepEqual(result.statement, sampleStatement());
    assert.deepEqual(result.signer, { keyId: key.trusted.keyId, name: key.trusted.name });
    const expectedDigest = createHash('sha256').update(canonicalJson(bundle)).digest('hex');
    assert.equal(result.bundleDigest, expectedDigest);
    // The JSON text form verifies too and yields the same content address.
    assert.equal(
      verifyAttestationBundle(JSON.stringify(bundle, null, 1), { trustedKeys }).bundleDigest,
      expectedDigest,
    );

    // Independent check with the library alone: an empty trusted root and the public key.
    const root = {
      mediaType: '',
      tlogs: [],
      certificateAuthorities: [],
      ctlogs: [],
      timestampAuthorities: [],
    };
    const verifier = new Verifier(
      toTrustMaterial(root as never, (hint) => {
        assert.equal(hint, key.signer.keyId);
        return { publicKey: key.trusted.publicKey, validFor: () => true };
      }),
      { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 },
    );
    assert.ok(verifier.verify(toSignedEntity(bundleFromJSON(bundle))));
  });
}

test('ECDSA signatures are DER encoded, as Sigstore expects', async () => {
  const bundle = await signStatement(sampleStatement(), ec.signer);
  const sig = Buffer.from(bundle.dsseEnvelope!.signatures[0]!.sig, 'base64');
  assert.equal(sig[0], 0x30, 'DER SEQUENCE tag');
  assert.equal(sig[1], sig.length - 2, 'DER length covers the rest');
});

async function tamperCases(key: TestKey) {
  const good = await signStatement(sampleStatement(), key.signer);
  const cases: [string, string, SerializedBundle | unknown, { subject?: Record<string, string> }?][] = [];

  const payload = clone(good);
  const changed = payloadOf(payload);
  (changed['predicate'] as Record<string, unknown>)['result'] = 'FAILED';
  payload.dsseEnvelope!.payload = Buffer.from(JSON.stringify(changed)).toString('base64');
  cases.push(['payload', 'SIGNATURE_INVALID', payload]);

  const payloadType = clone(good);
  payloadType.dsseEnvelope!.payloadType = 'application/json';
  cases.push(['payloadType to a foreign type', 'PAYLOAD_TYPE_UNSUPPORTED', payloadType]);

  const payloadTypeVariant = clone(good);
  payloadTypeVariant.dsseEnvelope!.payloadType = 'application/vnd.in-toto.provenance+json';
  cases.push(['payloadType to another in-toto type (PAE binds it)', 'SIGNATURE_INVALID', payloadTypeVariant]);

  const signature = clone(good);
  const sig = Buffer.from(signature.dsseEnvelope!.signatures[0]!.sig, 'base64');
  sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
  signature.dsseEnvelope!.signatures[0]!.sig = sig.toString('base64');
  cases.push(['signature', 'SIGNATURE_INVALID', signature]);

  const other = key === ed ? ec : ed;
  const hintOnly = clone(good);
  hintOnly.verificationMaterial.publicKey!.hint = other.signer.keyId;
  cases.push(['key id swap: hint only', 'KEY_ID_MISMATCH', hintOnly]);

  const swapped = clone(good);
  swapped.verificationMaterial.publicKey!.hint = other.signer.keyId;
  swapped.dsseEnvelope!.signatures[0]!.keyid = other.signer.keyId;
  cases.push(['key id swap: hint and keyid name another trusted key', 'KEY_ID_MISMATCH', swapped]);

  const unknownKey = clone(good);
  unknownKey.verificationMaterial.publicKey!.hint = 'f'.repeat(64);
  unknownKey.dsseEnvelope!.signatures[0]!.keyid = 'f'.repeat(64);
  cases.push(['unknown key id', 'SIGNER_UNTRUSTED', unknownKey]);

  cases.push(['subject digest mismatch', 'SUBJECT_MISMATCH', good, { subject: { sha256: 'b'.repeat(64) } }]);

  const messageSignature = {
    mediaType: good.mediaType,
    verificationMaterial: good.verificationMaterial,
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: 'AAAA' }, signature: 'AAAA' },
  };
  cases.push(['message signature instead of DSSE', 'BUNDLE_CONTENT_UNSUPPORTED', messageSignature]);

  const mediaType = clone(good);
  (mediaType as { mediaType: string }).mediaType = 'application/json';
  cases.push(['media type', 'BUNDLE_MALFORMED', mediaType]);

  const sloppyBase64 = clone(good);
  sloppyBase64.dsseEnvelope!.payload = `${good.dsseEnvelope!.payload.slice(0, 4)}!${good.dsseEnvelope!.payload.slice(4)}`;
  cases.push(['payload base64 with stray characters', 'BUNDLE_MALFORMED', sloppyBase64]);
  return cases;
}

for (const key of [ed, ec]) {
  test(`${key.signer.algorithm}: every tampering is rejected with its own code`, async () => {
    const good = await signStatement(sampleStatement(), key.signer);
    assert.ok(verifyAttestationBundle(good, { trustedKeys }));
    for (const [name, code, bundle, options] of await tamperCases(key)) {
      assert.throws(() => verifyAttestationBundle(bundle, { trustedKeys, ...options }), withCode(code), name);
    }
  });
}

test('a signer missing from the trusted keys is SIGNER_UNTRUSTED even though its signature is valid', async () => {
  const bundle = await signStatement(sampleStatement(), outsider.signer);
  assert.throws(() => verifyAttestationBundle(bundle, { trustedKeys }), withCode('SIGNER_UNTRUSTED'));
  assert.ok(verifyAttestationBundle(bundle, { trustedKeys: [outsider.trusted] }));
});

test('a signed payload with the wrong statement type is STATEMENT_TYPE_UNSUPPORTED', async () => {
  const statement = { ...sampleStatement(), _type: 'https://in-toto.io/Statement/v2' };
  const bundle = await signPayload(Buffer.from(JSON.stringify(statement)), IN_TOTO_PAYLOAD_TYPE, ed.signer);
  assert.throws(
    () => verifyAttestationBundle(bundle, { trustedKeys }),
    withCode('STATEMENT_TYPE_UNSUPPORTED'),
  );
  // signStatement itself refuses to sign it.
  await assert.rejects(signStatement(statement as never, ed.signer), withCode('STATEMENT_TYPE_UNSUPPORTED'));
});

test('a signed payload that is not JSON is PAYLOAD_MALFORMED, detected only after the signature verified', async () => {
  const bundle = await signPayload(Buffer.from('not json {'), IN_TOTO_PAYLOAD_TYPE, ed.signer);
  assert.throws(() => verifyAttestationBundle(bundle, { trustedKeys }), withCode('PAYLOAD_MALFORMED'));
  // The same garbage with a broken signature fails at the signature step: verify before parse.
  const broken = clone(bundle);
  broken.dsseEnvelope!.signatures[0]!.sig = (
    await signPayload(Buffer.from('x'), IN_TOTO_PAYLOAD_TYPE, ed.signer)
  ).dsseEnvelope!.signatures[0]!.sig;
  assert.throws(() => verifyAttestationBundle(broken, { trustedKeys }), withCode('SIGNATURE_INVALID'));
});

test('v0.1 statements verify (accepted on read)', async () => {
  const statement = { ...sampleStatement(), _type: 'https://in-toto.io/Statement/v0.1' };
  const bundle = await signPayload(Buffer.from(JSON.stringify(statement)), IN_TOTO_PAYLOAD_TYPE, ec.signer);
  assert.equal(
    verifyAttestationBundle(bundle, { trustedKeys }).statement._type,
    'https://in-toto.io/Statement/v0.1',
  );
});

test('an envelope without keyid or hint is accepted only if a trusted key verifies it', async () => {
  const bundle = clone(await signStatement(sampleStatement(), ec.signer));
  bundle.verificationMaterial.publicKey!.hint = '';
  delete (bundle.dsseEnvelope!.signatures[0] as { keyid?: string }).keyid;
  assert.equal(verifyAttestationBundle(bundle, { trustedKeys }).signer.keyId, ec.trusted.keyId);
  assert.throws(
    () => verifyAttestationBundle(bundle, { trustedKeys: [ed.trusted] }),
    withCode('SIGNER_UNTRUSTED'),
  );
});

test('URL-safe base64 in the envelope is accepted (DSSE requires it)', async () => {
  const bundle = clone(await signStatement(sampleStatement(), ed.signer));
  const envelope = bundle.dsseEnvelope!;
  envelope.payload = Buffer.from(envelope.payload, 'base64').toString('base64url');
  envelope.signatures[0]!.sig = Buffer.from(envelope.signatures[0]!.sig, 'base64').toString('base64url');
  assert.ok(verifyAttestationBundle(bundle, { trustedKeys }));
});

test('bundles with a certificate are refused until keyless verification exists', async () => {
  const bundle = clone(await signStatement(sampleStatement(), ed.signer));
  const material = bundle.verificationMaterial as Record<string, unknown>;
  delete material['publicKey'];
  material['certificate'] = { rawBytes: Buffer.from('not a certificate').toString('base64') };
  assert.throws(() => verifyAttestationBundle(bundle, { trustedKeys }), withCode('KEY_MATERIAL_UNSUPPORTED'));
});

test('every step has a unique name and every code used above is listed in a step', () => {
  const names = VERIFICATION_STEPS.map((step) => step.name);
  assert.equal(new Set(names).size, names.length);
  const codes = new Set(VERIFICATION_STEPS.flatMap((step) => step.codes));
  for (const code of [
    'BUNDLE_MALFORMED',
    'BUNDLE_CONTENT_UNSUPPORTED',
    'PAYLOAD_TYPE_UNSUPPORTED',
    'SIGNER_UNTRUSTED',
    'KEY_ID_MISMATCH',
    'SIGNATURE_INVALID',
    'PAYLOAD_MALFORMED',
    'STATEMENT_TYPE_UNSUPPORTED',
    'SUBJECT_MISMATCH',
  ]) {
    assert.ok(codes.has(code), code);
  }
});

test('bundleDigest is the canonical address: whitespace and key order do not change it', async () => {
  const bundle = await signStatement(sampleStatement(), ed.signer);
  const reordered = JSON.parse(JSON.stringify(bundle, Object.keys(bundle).reverse()));
  const digest = bundleDigest(bundle);
  assert.match(digest, /^[0-9a-f]{64}$/);
  assert.equal(bundleDigest(JSON.stringify(bundle, null, 4)), digest);
  assert.equal(bundleDigest({ ...reordered, ...bundle }), digest);
  const other = await signStatement(sampleStatement('c'.repeat(64)), ed.signer);
  assert.notEqual(bundleDigest(other), digest);
});

test('the cached trust index follows a trusted-key list that changed since the last call', async () => {
  const list = [ed.trusted];
  const bundle = await signStatement(sampleStatement(), outsider.signer);
  assert.throws(() => verifyAttestationBundle(bundle, { trustedKeys: list }), withCode('SIGNER_UNTRUSTED'));
  list.push(outsider.trusted);
  assert.equal(verifyAttestationBundle(bundle, { trustedKeys: list }).signer.keyId, outsider.trusted.keyId);
  list.pop();
  assert.throws(() => verifyAttestationBundle(bundle, { trustedKeys: list }), withCode('SIGNER_UNTRUSTED'));
});

test('log entries or timestamps that cannot be checked are WITNESS_UNVERIFIABLE, not a bad signature', async () => {
  const bundle = structuredClone(await signStatement(sampleStatement(), ed.signer)) as unknown as {
    verificationMaterial: Record<string, unknown>;
  };
  bundle.verificationMaterial['tlogEntries'] = [
    {
      logIndex: '1',
      logId: { keyId: 'AA==' },
      kindVersion: { kind: 'dsse', version: '0.0.1' },
      integratedTime: '1700000000',
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
  assert.throws(() => verifyAttestationBundle(bundle, { trustedKeys }), withCode('WITNESS_UNVERIFIABLE'));
  delete bundle.verificationMaterial['tlogEntries'];
  bundle.verificationMaterial['timestampVerificationData'] = {
    rfc3161Timestamps: [{ signedTimestamp: 'AAAA' }],
  };
  assert.throws(() => verifyAttestationBundle(bundle, { trustedKeys }), withCode('BUNDLE_MALFORMED'));
});
