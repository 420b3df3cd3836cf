import { parseStatement, type Statement } from '../model/statement.ts';
import { InputError } from '../util/errors.ts';
import { bundleObjectOf, decodeBundle, isInTotoPayloadType } from './bundle-decode.ts';

/**
 * Decodes a bundle's statement WITHOUT verifying its signature. For indexing only: the store files
 * imported bundles by subject and predicate type with it; whether the statement is trusted is
 * decided later, by verifyAttestationBundle. Never base a decision on what this returns.
 */
export function readUntrustedStatement(bundle: unknown, file?: string): Statement {
  const decoded = decodeBundle(bundleObjectOf(bundle, file), file);
  if (decoded.content.$case !== 'dsseEnvelope') {
    throw new InputError('BUNDLE_CONTENT_UNSUPPORTED', 'bundle does not carry a DSSE envelope', { file });
  }
  const { payloadType } = decoded.content.dsseEnvelope;
  if (!isInTotoPayloadType(payloadType)) {
    throw new InputError(
      'PAYLOAD_TYPE_UNSUPPORTED',
      `DSSE payloadType ${JSON.stringify(payloadType)} is not in-toto`,
      {
        file,
      },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(decoded.content.dsseEnvelope.payload),
    );
  } catch (error) {
    throw new InputError('PAYLOAD_MALFORMED', 'bundle payload is not UTF-8 JSON', { file }, { cause: error });
  }
  return parseStatement(value, file);
}

/**
 * The key id a bundle names for its signer (the public-key hint, else the first DSSE signature's
 * keyid, else ''), read WITHOUT verifying anything: for indexing an imported bundle only.
 */
export function untrustedSignerKeyId(bundle: unknown): string {
  const signature = (bundle as { dsseEnvelope?: { signatures?: { keyid?: string }[] } }).dsseEnvelope
    ?.signatures?.[0];
  const hint = (bundle as { verificationMaterial?: { publicKey?: { hint?: string } } }).verificationMaterial
    ?.publicKey?.hint;
  return hint ?? signature?.keyid ?? '';
}
