/**
 * The attestation core: keys, signing a statement into a DSSE Sigstore bundle, verifying a bundle
 * step by step, content addresses, and the two file forms (*.sigstore.json, *.intoto.jsonl).
 */
export type { SerializedBundle } from '@sigstore/bundle';
export { canonicalJson } from '../util/canonical-json.ts';
export { ACCEPTED_BUNDLE_MEDIA_TYPES, BUNDLE_MEDIA_TYPE_V03, parseBundleFile } from './bundle-decode.ts';
export { bundleDigest } from './bundle-digest.ts';
export { parseJsonLines, toJsonLines } from './json-lines.ts';
export {
  type GeneratedKeyPair,
  generateKeyPair,
  isKeyAlgorithm,
  KEY_ALGORITHMS,
  KeyFileSigner,
  keyIdOf,
  loadSigner,
  loadTrustedKey,
} from './keys.ts';
export { MAX_BUNDLE_BYTES } from './limits.ts';
export { signPayload, signStatement } from './sign.ts';
export { stepOfCode, VERIFICATION_STEPS, type VerificationStep } from './steps.ts';
export type { KeyAlgorithm, Signer, TrustedKey, VerifiedAttestation, VerifyOptions } from './types.ts';
export { readUntrustedStatement, untrustedSignerKeyId } from './untrusted.ts';
export { verifyAttestationBundle } from './verify.ts';
