import { verify as cryptoVerify } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { dsse } from '@sigstore/core';
import { type KeyFinderFunc, toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { digestSetsMatch } from '../model/digest.ts';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement } from '../model/statement.ts';
import { InputError, VerificationError } from '../util/errors.ts';
import { bundleObjectOf, decodeBundle, isInTotoPayloadType } from './bundle-decode.ts';
import { bundleDigest } from './bundle-digest.ts';
import type { TrustedKey, VerifiedAttestation, VerifyOptions } from './types.ts';

type TrustedRoot = Parameters<typeof toTrustMaterial>[0];

// Keyed bundles need no certificate authority, log or timestamp authority: an empty trusted root
// and zero thresholds leave exactly the key lookup and the signature check to @sigstore/verify.
const EMPTY_TRUSTED_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
} as unknown as TrustedRoot;

interface TrustIndex {
  keys: readonly TrustedKey[];
  byId: Map<string, TrustedKey>;
  verifier: Verifier;
  /** The key the finder hands to the verifier; set right before each synchronous verify call. */
  selected: TrustedKey | undefined;
}

const trustIndexes = new WeakMap<readonly TrustedKey[], TrustIndex>();

/** One index and one Verifier per trusted-key list, rebuilt only if the list changed. */
function trustIndexOf(keys: readonly TrustedKey[]): TrustIndex {
  const cached = trustIndexes.get(keys);
  if (cached && cached.keys.length === keys.length && cached.keys.every((key, i) => key === keys[i])) {
    return cached;
  }
  const byId = new Map<string, TrustedKey>();
  for (const key of keys) byId.set(key.keyId, key);
  const index: TrustIndex = { keys: [...keys], byId, selected: undefined, verifier: undefined as never };
  const finder: KeyFinderFunc = () => {
    const key = index.selected;
    if (!key) throw new VerificationError('SIGNER_UNTRUSTED', 'no trusted key selected');
    return { publicKey: key.publicKey, validFor: () => true };
  };
  index.verifier = new Verifier(toTrustMaterial(EMPTY_TRUSTED_ROOT, finder), {
    tlogThreshold: 0,
    ctlogThreshold: 0,
    timestampThreshold: 0,
  });
  trustIndexes.set(keys, index);
  return index;
}

function rawVerify(pae: Buffer, key: TrustedKey, signature: Buffer): boolean {
  try {
    return cryptoVerify(
      key.publicKey.asymmetricKeyType === 'ed25519' ? null : 'sha256',
      pae,
      key.publicKey,
      signature,
    );
  } catch {
    return false;
  }
}

/**
 * Verifies one Sigstore bundle holding a DSSE-enveloped in-toto statement against trusted public
 * keys, step by step (see VERIFICATION_STEPS); the first failing step throws its typed error.
 * Synchronous: @sigstore/verify's Verifier is synchronous for keyed bundles.
 * The returned statement is only ever one whose signature verified.
 */
export function verifyAttestationBundle(bundle: unknown, options: VerifyOptions): VerifiedAttestation {
  // Step bundle-format.
  const value = bundleObjectOf(bundle);
  const decoded: Bundle = decodeBundle(value);

  // Step content-kind.
  if (decoded.content.$case !== 'dsseEnvelope') {
    throw new InputError(
      'BUNDLE_CONTENT_UNSUPPORTED',
      `bundle content is ${decoded.content.$case}, expected a DSSE envelope carrying an in-toto statement`,
    );
  }
  const envelope = decoded.content.dsseEnvelope;

  // Step payload-type.
  if (!isInTotoPayloadType(envelope.payloadType)) {
    throw new InputError(
      'PAYLOAD_TYPE_UNSUPPORTED',
      `DSSE payloadType ${JSON.stringify(envelope.payloadType)} is not ${IN_TOTO_PAYLOAD_TYPE}`,
    );
  }

  // Step key-material.
  const material = decoded.verificationMaterial.content;
  if (material.$case !== 'publicKey') {
    throw new VerificationError(
      'KEY_MATERIAL_UNSUPPORTED',
      `bundle is signed with a ${material.$case}; only public-key bundles are verified so far (keyless is planned)`,
    );
  }
  const hint = material.publicKey.hint;

  // Step key-id-binding. The DSSE keyid is unauthenticated; it may only narrow, never contradict.
  const signature = envelope.signatures[0];
  if (!signature) throw new InputError('BUNDLE_MALFORMED', 'DSSE envelope has no signature');
  if (signature.keyid !== '' && hint !== '' && signature.keyid !== hint) {
    throw new VerificationError(
      'KEY_ID_MISMATCH',
      `DSSE signature keyid ${signature.keyid} differs from the bundle key hint ${hint}`,
    );
  }
  const namedId = hint !== '' ? hint : signature.keyid;

  // Step signer-trust.
  const index = trustIndexOf(options.trustedKeys);
  let pae: Buffer | undefined;
  let trusted: TrustedKey | undefined;
  if (namedId !== '') {
    trusted = index.byId.get(namedId);
    if (!trusted) {
      throw new VerificationError(
        'SIGNER_UNTRUSTED',
        `bundle is signed by key ${namedId}, which is not trusted`,
      );
    }
  } else {
    pae = dsse.preAuthEncoding(envelope.payloadType, envelope.payload);
    const paeBytes = pae;
    trusted = index.keys.find((key) => rawVerify(paeBytes, key, signature.sig));
    if (!trusted) {
      throw new VerificationError(
        'SIGNER_UNTRUSTED',
        'bundle names no key and no trusted key verifies its signature',
      );
    }
  }

  // Step signature, through @sigstore/verify.
  let entity: ReturnType<typeof toSignedEntity>;
  try {
    entity = toSignedEntity(decoded);
  } catch (error) {
    // Only embedded RFC 3161 timestamps are parsed here; a keyed gatechain bundle has none.
    throw new InputError('BUNDLE_MALFORMED', 'bundle timestamp data cannot be parsed', {}, { cause: error });
  }
  index.selected = trusted;
  try {
    index.verifier.verify(entity);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (code.startsWith('TLOG_') || code.startsWith('TIMESTAMP_')) {
      throw new VerificationError(
        'WITNESS_UNVERIFIABLE',
        `bundle carries transparency-log entries or timestamps that cannot be verified without their trusted root (${code})`,
        {},
        { cause: error },
      );
    }
    if (code !== 'SIGNATURE_ERROR') {
      throw new VerificationError(
        'SIGNATURE_INVALID',
        `signature verification failed (${code || 'unknown error'})`,
        {},
        {
          cause: error,
        },
      );
    }
    pae ??= dsse.preAuthEncoding(envelope.payloadType, envelope.payload);
    const paeBytes = pae;
    const named = trusted;
    const other = index.keys.find((key) => key !== named && rawVerify(paeBytes, key, signature.sig));
    if (other) {
      throw new VerificationError(
        'KEY_ID_MISMATCH',
        `bundle names key ${named.keyId} but was signed by trusted key ${other.keyId}${other.name ? ` (${other.name})` : ''}`,
      );
    }
    throw new VerificationError(
      'SIGNATURE_INVALID',
      `signature does not verify under key ${named.keyId}`,
      {},
      {
        cause: error,
      },
    );
  } finally {
    index.selected = undefined;
  }

  // Step payload-json: only now, after the signature verified, are the payload bytes parsed.
  let payloadValue: unknown;
  try {
    payloadValue = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(envelope.payload));
  } catch (error) {
    throw new InputError('PAYLOAD_MALFORMED', 'signed payload is not UTF-8 JSON', {}, { cause: error });
  }

  // Step statement.
  const statement = parseStatement(payloadValue);

  // Step subject: compared by digest, never by name.
  const wanted = options.subject;
  if (wanted && !statement.subject.some((subject) => digestSetsMatch(subject.digest, wanted))) {
    throw new VerificationError(
      'SUBJECT_MISMATCH',
      `no statement subject matches ${Object.entries(wanted)
        .map(([algorithm, hex]) => `${algorithm}:${hex}`)
        .join(', ')}`,
    );
  }

  const signer: VerifiedAttestation['signer'] = { keyId: trusted.keyId };
  if (trusted.name !== undefined) signer.name = trusted.name;
  return { statement, signer, bundleDigest: bundleDigest(value) };
}
