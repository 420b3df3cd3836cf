import type { SerializedBundle, SerializedEnvelope } from '@sigstore/bundle';
import { InputError, parseJson } from '../util/errors.ts';
import { BUNDLE_MEDIA_TYPE_V03, bundleObjectOf, checkEnvelopeShape, decodeBundle } from './bundle-decode.ts';
import { MAX_BUNDLE_BYTES, MAX_JSON_LINES } from './limits.ts';

/**
 * in-toto JSON Lines (`*.intoto.jsonl`, in-toto spec/v1/bundle.md): one DSSE envelope per line.
 * Only keyed bundles without log entries or timestamps are written, because a line holds the
 * envelope alone: the key hint survives as the signature keyid, anything else would be lost.
 * Such a bundle read back is byte-for-byte the bundle gatechain wrote, so its digest is unchanged.
 */
export function toJsonLines(bundles: readonly SerializedBundle[]): string {
  return bundles
    .map((bundle, index) => {
      const value = bundleObjectOf(bundle);
      decodeBundle(value);
      const envelope = value['dsseEnvelope'] as SerializedEnvelope | undefined;
      const material = bundle.verificationMaterial;
      const witnessed =
        (material?.tlogEntries?.length ?? 0) > 0 ||
        (material?.timestampVerificationData?.rfc3161Timestamps?.length ?? 0) > 0;
      if (!envelope || !material?.publicKey || witnessed) {
        throw new InputError(
          'BUNDLE_NOT_LINE_ENCODABLE',
          `bundle ${index} carries a certificate, log entries or timestamps that a JSON Lines envelope cannot hold; export it as *.sigstore.json`,
        );
      }
      const hint = material.publicKey.hint;
      if (envelope.signatures.length !== 1 || (envelope.signatures[0]?.keyid ?? '') !== hint) {
        throw new InputError(
          'BUNDLE_NOT_LINE_ENCODABLE',
          `bundle ${index}: the envelope keyid must equal the key hint to survive the JSON Lines form`,
        );
      }
      return `${JSON.stringify(envelope)}\n`;
    })
    .join('');
}

/** Reads an in-toto JSON Lines file back into bundles (blank lines are skipped). */
export function parseJsonLines(text: string, file?: string): SerializedBundle[] {
  const bundles: SerializedBundle[] = [];
  const lines = text.split('\n');
  if (lines.length > MAX_JSON_LINES) {
    throw new InputError('JSONL_TOO_LARGE', `more than ${MAX_JSON_LINES} lines`, { file });
  }
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() === '') continue;
    if (content.length > MAX_BUNDLE_BYTES) {
      throw new InputError('BUNDLE_MALFORMED', `line is larger than ${MAX_BUNDLE_BYTES} bytes`, {
        file,
        line,
      });
    }
    let envelope: unknown;
    try {
      envelope = parseJson(content, file);
    } catch (error) {
      throw new InputError(
        'BUNDLE_MALFORMED',
        `line is not a JSON DSSE envelope: ${(error as Error).message}`,
        { file, line },
        { cause: error },
      );
    }
    checkEnvelopeShape(envelope, file, line);
    const signatures = (envelope as { signatures: { keyid?: string }[] }).signatures;
    if (signatures.length !== 1) {
      throw new InputError(
        'BUNDLE_MALFORMED',
        `envelope has ${signatures.length} signatures; a Sigstore bundle holds exactly one`,
        { file, line },
      );
    }
    const bundle = {
      mediaType: BUNDLE_MEDIA_TYPE_V03,
      verificationMaterial: {
        publicKey: { hint: signatures[0]?.keyid ?? '' },
        timestampVerificationData: {},
      },
      dsseEnvelope: envelope,
    };
    decodeBundle(bundle, file, line);
    bundles.push(bundle as unknown as SerializedBundle);
  }
  return bundles;
}
