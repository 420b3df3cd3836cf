/**
 * Verification of one bundle is this fixed sequence of named steps. Each step fails with its own
 * error code, so a caller (and a user reading `gatechain verify`) learns exactly which property
 * did not hold. The signature is checked before any byte of the payload is parsed.
 */
export interface VerificationStep {
  name: string;
  codes: readonly string[];
  checks: string;
}

export const VERIFICATION_STEPS: readonly VerificationStep[] = [
  {
    name: 'bundle-format',
    codes: ['BUNDLE_MALFORMED'],
    checks:
      'JSON object within size limits, Sigstore bundle media type, strict base64, sigstore-js bundle validation',
  },
  {
    name: 'content-kind',
    codes: ['BUNDLE_CONTENT_UNSUPPORTED'],
    checks: 'the bundle carries a DSSE envelope (not a bare message signature)',
  },
  {
    name: 'payload-type',
    codes: ['PAYLOAD_TYPE_UNSUPPORTED'],
    checks: 'the DSSE payloadType is application/vnd.in-toto+json (or application/vnd.in-toto.<name>+json)',
  },
  {
    name: 'key-material',
    codes: ['KEY_MATERIAL_UNSUPPORTED'],
    checks: 'the verification material is a public key hint (certificate bundles are reserved for keyless)',
  },
  {
    name: 'key-id-binding',
    codes: ['KEY_ID_MISMATCH'],
    checks: 'the DSSE signature keyid, when present, equals the bundle publicKey hint',
  },
  {
    name: 'signer-trust',
    codes: ['SIGNER_UNTRUSTED'],
    checks:
      'the hint names a trusted key (an empty hint selects the trusted key the signature verifies under)',
  },
  {
    name: 'signature',
    codes: ['SIGNATURE_INVALID', 'KEY_ID_MISMATCH', 'WITNESS_UNVERIFIABLE'],
    checks:
      '@sigstore/verify checks the DSSE signature over PAE(payloadType, payload) with the named key; a signature that verifies only under another trusted key is a key-id swap',
  },
  {
    name: 'payload-json',
    codes: ['PAYLOAD_MALFORMED'],
    checks: 'the verified payload is UTF-8 JSON',
  },
  {
    name: 'statement',
    codes: ['STATEMENT_TYPE_UNSUPPORTED', 'STATEMENT_INVALID', 'DIGEST_INVALID'],
    checks: 'the payload is an in-toto Statement v1 (or v0.1) with digest-bearing subjects',
  },
  {
    name: 'subject',
    codes: ['SUBJECT_MISMATCH'],
    checks: 'when a subject digest set is given, at least one statement subject matches it by digest',
  },
];

export type VerificationStepName = (typeof VERIFICATION_STEPS)[number]['name'];

/** The first step that can fail with this code (codes are unique per step except KEY_ID_MISMATCH). */
export function stepOfCode(code: string): string | undefined {
  return VERIFICATION_STEPS.find((step) => step.codes.includes(code))?.name;
}
