import { bundleDigest } from '../attest/bundle-digest.ts';
import type { WitnessPolicy } from '../ledger/checkpoint.ts';
import { sha256 } from '../ledger/merkle.ts';
import type { PublicNoteKey } from '../ledger/note-keys.ts';
import { parseReceipt, type VerifiedReceipt, verifyReceipt } from '../ledger/receipt.ts';
import { decodeRecord, type LedgerRecord, recordDigests } from '../ledger/records.ts';
import { VerificationError } from '../util/errors.ts';

export interface ArtifactReceiptCheck {
  verified: VerifiedReceipt;
  /**
   * `entry`: the bytes given are the logged entry; `digest`: the logged record commits to them by
   * digest; `receipt`: nothing was given, the entry the receipt carries was checked.
   */
  matchedBy: 'entry' | 'digest' | 'receipt';
  /** The logged record, when the entry decodes as one. */
  record: LedgerRecord | undefined;
}

/**
 * Verifies a tlog-proof receipt offline and, when `artifact` is given, that it is either the
 * logged entry itself or an artifact the logged record commits to by digest (an exported
 * attestation bundle, say). `artifact.name` only names it in the error.
 */
export function verifyArtifactReceipt(
  receiptText: string,
  artifact: { bytes: Uint8Array; name: string } | undefined,
  verifierKey: string | PublicNoteKey,
  options: { origin?: string; policy?: WitnessPolicy } = {},
): ArtifactReceiptCheck {
  const receipt = parseReceipt(receiptText);
  let verified: VerifiedReceipt;
  let matchedBy: ArtifactReceiptCheck['matchedBy'] = artifact ? 'entry' : 'receipt';
  if (artifact && receipt.extra && Buffer.compare(artifact.bytes, receipt.extra) !== 0) {
    // The file is not the entry itself: accept it if the logged record commits to its digest.
    verified = verifyReceipt(receiptText, undefined, verifierKey, options);
    const digest = `sha256:${sha256(artifact.bytes).toString('hex')}`;
    // A bundle is logged by the digest of its canonical JSON (its store address), so the
    // exported file matches whatever whitespace it was written with.
    const candidates = [digest, ...canonicalBundleDigest(artifact.bytes)];
    const committed = recordDigests(decodeRecord(verified.entry));
    if (!candidates.some((candidate) => committed.includes(candidate))) {
      throw new VerificationError(
        'LEDGER_ENTRY_MISMATCH',
        `${artifact.name} (${digest}) is neither the logged entry nor an artifact it commits to`,
      );
    }
    matchedBy = 'digest';
  } else verified = verifyReceipt(receiptText, artifact?.bytes, verifierKey, options);
  let record: LedgerRecord | undefined;
  try {
    record = decodeRecord(verified.entry);
  } catch {
    record = undefined;
  }
  return { verified, matchedBy, record };
}

/** `sha256:<hex>` of a bundle's canonical JSON when the bytes are JSON, else nothing. */
function canonicalBundleDigest(bytes: Uint8Array): string[] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return [];
  }
  if (value === null || typeof value !== 'object') return [];
  try {
    return [`sha256:${bundleDigest(value)}`];
  } catch {
    return [];
  }
}
