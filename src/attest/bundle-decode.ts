import { type Bundle, bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { IN_TOTO_PAYLOAD_TYPE } from '../model/statement.ts';
import { InputError, parseJson } from '../util/errors.ts';
import { MAX_BUNDLE_BYTES } from './limits.ts';

/** Bundle media types accepted on read; gatechain writes v0.3. */
export const BUNDLE_MEDIA_TYPE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const ACCEPTED_BUNDLE_MEDIA_TYPES: readonly string[] = [
  BUNDLE_MEDIA_TYPE_V03,
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
];

// DSSE verifiers must accept standard and URL-safe base64. Node's decoder silently skips any other
// character, which would let two different texts carry one signed payload: refuse them instead.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function isStrictBase64(text: string): boolean {
  return BASE64.test(text) || (BASE64URL.test(text) && text.length % 4 !== 1);
}

/** in-toto's DSSE payload types (spec/v1/envelope.md): the generic one or application/vnd.in-toto.<name>+json. */
export function isInTotoPayloadType(type: string): boolean {
  return (
    type === IN_TOTO_PAYLOAD_TYPE || /^application\/vnd\.in-toto\.[a-z0-9][a-z0-9.-]{0,100}\+json$/.test(type)
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function malformed(message: string, file?: string, line?: number): InputError {
  return new InputError('BUNDLE_MALFORMED', message, { file, line });
}

/** A bundle given as JSON text or as an already parsed value → the parsed object, size-checked. */
export function bundleObjectOf(input: unknown, file?: string, line?: number): Record<string, unknown> {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_BUNDLE_BYTES) {
      throw malformed(`bundle is larger than ${MAX_BUNDLE_BYTES} bytes`, file, line);
    }
    try {
      // A UTF-8 byte order mark (some editors write one) is not part of the JSON text.
      value = parseJson(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, file);
    } catch (error) {
      throw new InputError(
        'BUNDLE_MALFORMED',
        `bundle is not valid JSON: ${(error as Error).message}`,
        { file, line: line ?? (error as InputError).line },
        { cause: error },
      );
    }
  } else if (input instanceof Uint8Array) {
    return bundleObjectOf(Buffer.from(input).toString('utf8'), file, line);
  }
  if (!isRecord(value)) throw malformed('a Sigstore bundle must be a JSON object', file, line);
  return value;
}

/**
 * Structural checks a bundle must pass before anything reads it: a known media type, a DSSE
 * envelope whose fields have the right JSON types and strict base64, then sigstore-js's own
 * bundle validation. Content other than DSSE is reported by the caller, not here.
 */
export function decodeBundle(value: Record<string, unknown>, file?: string, line?: number): Bundle {
  const mediaType = value['mediaType'];
  if (typeof mediaType !== 'string' || !ACCEPTED_BUNDLE_MEDIA_TYPES.includes(mediaType)) {
    throw malformed(
      `bundle mediaType ${JSON.stringify(mediaType)} is not a Sigstore bundle media type (expected ${BUNDLE_MEDIA_TYPE_V03})`,
      file,
      line,
    );
  }
  const envelope = value['dsseEnvelope'];
  if (envelope !== undefined) checkEnvelopeShape(envelope, file, line);
  const message = value['messageSignature'];
  if (message !== undefined && !isRecord(message)) {
    throw malformed('bundle messageSignature must be an object', file, line);
  }
  if (!isRecord(value['verificationMaterial'])) {
    throw malformed('bundle has no verificationMaterial object', file, line);
  }
  try {
    return bundleFromJSON(value);
  } catch (error) {
    const fields = (error as { fields?: string[] }).fields;
    const detail = Array.isArray(fields) && fields.length > 0 ? `: invalid ${fields.join(', ')}` : '';
    throw new InputError(
      `BUNDLE_MALFORMED`,
      `not a valid Sigstore bundle${detail}`,
      { file, line },
      { cause: error },
    );
  }
}

/** The DSSE envelope JSON shape (payload, payloadType, signatures[{sig, keyid?}]). */
export function checkEnvelopeShape(envelope: unknown, file?: string, line?: number): void {
  if (!isRecord(envelope)) throw malformed('DSSE envelope must be an object', file, line);
  const { payload, payloadType, signatures } = envelope;
  if (typeof payload !== 'string' || payload.length === 0 || !isStrictBase64(payload)) {
    throw malformed('DSSE payload must be a non-empty base64 string', file, line);
  }
  if (payload.length > MAX_BUNDLE_BYTES) throw malformed('DSSE payload is too large', file, line);
  if (typeof payloadType !== 'string') throw malformed('DSSE payloadType must be a string', file, line);
  if (!Array.isArray(signatures) || signatures.length === 0) {
    throw malformed('DSSE envelope has no signatures', file, line);
  }
  for (const [index, signature] of signatures.entries()) {
    if (!isRecord(signature)) throw malformed(`DSSE signatures[${index}] must be an object`, file, line);
    const { sig, keyid } = signature;
    if (typeof sig !== 'string' || sig.length === 0 || !isStrictBase64(sig)) {
      throw malformed(`DSSE signatures[${index}].sig must be a non-empty base64 string`, file, line);
    }
    if (keyid !== undefined && typeof keyid !== 'string') {
      throw malformed(`DSSE signatures[${index}].keyid must be a string`, file, line);
    }
  }
}

/** parseBundleFile: a `*.sigstore.json` file → the bundle as written, after structural checks. */
export function parseBundleFile(text: string, file?: string): SerializedBundle {
  const value = bundleObjectOf(text, file);
  decodeBundle(value, file);
  return value as unknown as SerializedBundle;
}
