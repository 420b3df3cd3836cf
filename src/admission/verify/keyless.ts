import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { type DigestSet, digestSetsMatch } from '../../model/digest.ts';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, type Statement } from '../../model/statement.ts';
import { InputError, isGatechainError, VerificationError } from '../../util/errors.ts';

/** The identity a Fulcio-style certificate binds: its SAN (e.g. a workflow URI) and OIDC issuer. */
export interface KeylessIdentity {
  subject: string;
  issuer: string;
}

export interface KeylessVerified {
  statement: Statement;
  identity: KeylessIdentity;
}

export type KeylessVerifier = ((bundle: unknown, subject: DigestSet) => KeylessVerified) & {
  /** Base URLs of the trusted root's transparency logs, without a trailing slash. */
  logUrls: string[];
};

/** Whether a bundle is signed with a certificate (keyless) rather than a public-key hint. */
export function isCertificateBundle(bundle: unknown): boolean {
  const material = (bundle as { verificationMaterial?: Record<string, unknown> } | null)
    ?.verificationMaterial;
  return (
    material !== undefined &&
    material !== null &&
    ('certificate' in material || 'x509CertificateChain' in material)
  );
}

/**
 * Verifies keyless bundles against a locally configured Sigstore trusted_root.json.
 *
 * Invariants: the certificate must chain to a CA of the trusted root at a time vouched for by at
 * least one trusted timestamp (an RFC 3161 timestamp from a listed TSA, or a transparency-log
 * entry's signed promise) — a certificate is never checked "as of now", since Fulcio certificates
 * live minutes. When the trusted root lists transparency logs, an entry from one of them is
 * required; when it lists CT logs, an embedded SCT is required. The statement's subject is matched
 * against the artifact digest here (the Sigstore library does not do that).
 */
export function createKeylessVerifier(trustedRootJson: unknown): KeylessVerifier {
  let verifier: Verifier;
  let logUrls: string[];
  try {
    const root = TrustedRoot.fromJSON(trustedRootJson);
    logUrls = root.tlogs.map((log) => log.baseUrl.replace(/\/+$/, ''));
    if (root.certificateAuthorities.length === 0) {
      throw new InputError('TRUSTED_ROOT_INVALID', 'the trusted root lists no certificate authority');
    }
    verifier = new Verifier(toTrustMaterial(root), {
      tlogThreshold: root.tlogs.length > 0 ? 1 : 0,
      ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0,
      timestampThreshold: 1,
    });
  } catch (cause) {
    if (isGatechainError(cause)) throw cause;
    throw new InputError(
      'TRUSTED_ROOT_INVALID',
      `not a Sigstore trusted root: ${(cause as Error).message}`,
      {},
      { cause },
    );
  }
  const verifyBundle = (bundleJson: unknown, subject: DigestSet): KeylessVerified => {
    if (!isCertificateBundle(bundleJson)) {
      throw new VerificationError('KEYLESS_NOT_CERTIFICATE', 'the bundle is not signed with a certificate');
    }
    let signer: ReturnType<Verifier['verify']>;
    let bundle: ReturnType<typeof bundleFromJSON>;
    try {
      bundle = bundleFromJSON(bundleJson);
      signer = verifier.verify(toSignedEntity(bundle));
    } catch (cause) {
      throw new VerificationError(
        'KEYLESS_VERIFICATION_FAILED',
        `keyless bundle did not verify: ${(cause as Error).message}`,
        {},
        { cause },
      );
    }
    if (bundle.content.$case !== 'dsseEnvelope') {
      throw new VerificationError('KEYLESS_NOT_DSSE', 'the keyless bundle holds no DSSE envelope');
    }
    const envelope = bundle.content.dsseEnvelope;
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      throw new VerificationError(
        'PAYLOAD_TYPE_UNSUPPORTED',
        `payloadType ${envelope.payloadType} is not in-toto`,
      );
    }
    let statement: Statement;
    try {
      statement = parseStatement(JSON.parse(Buffer.from(envelope.payload).toString('utf8')));
    } catch (cause) {
      throw new VerificationError(
        'STATEMENT_INVALID',
        `signed payload is not an in-toto statement: ${(cause as Error).message}`,
      );
    }
    if (!statement.subject.some((s) => digestSetsMatch(s.digest, subject))) {
      throw new VerificationError('SUBJECT_MISMATCH', 'the statement is about another artifact');
    }
    const identity = signer.identity;
    const san = identity?.subjectAlternativeName;
    const issuer = identity?.extensions?.issuer;
    if (!san || !issuer) {
      throw new VerificationError(
        'KEYLESS_IDENTITY_MISSING',
        'the certificate carries no subject alternative name or issuer',
      );
    }
    return { statement, identity: { subject: san, issuer } };
  };
  return Object.assign(verifyBundle, { logUrls });
}
