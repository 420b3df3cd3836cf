import { InputError, VerificationError } from '../util/errors.ts';
import { parseDecimal, type VerifiedCheckpoint, verifyCheckpoint, type WitnessPolicy } from './checkpoint.ts';
import { HASH_SIZE, leafHash, verifyInclusion } from './merkle.ts';
import { decodeBase64Strict, type PublicNoteKey } from './note-keys.ts';

/**
 * C2SP tlog-proof (`c2sp.org/tlog-proof@v1`): header, optional `extra <b64>`, `index <n>`, the
 * inclusion proof one base64 hash per line, a blank line, then the checkpoint note verbatim.
 * gatechain puts the canonical record bytes in `extra`, so a receipt alone is enough to check
 * the record offline; the extra data is trusted only after the inclusion proof verifies.
 */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
export const MAX_RECEIPT_BYTES = 2 << 20;
const MAX_PROOF_LINES = 63;

export interface Receipt {
  index: number;
  proof: Buffer[];
  checkpoint: string;
  extra?: Buffer;
}

function malformed(why: string, line?: number): InputError {
  return new InputError('LEDGER_RECEIPT_MALFORMED', `malformed tlog-proof: ${why}`, line ? { line } : {});
}

export function formatReceipt(receipt: Receipt): string {
  const lines = [TLOG_PROOF_HEADER];
  if (receipt.extra) lines.push(`extra ${receipt.extra.toString('base64')}`);
  lines.push(`index ${receipt.index}`);
  for (const hash of receipt.proof) lines.push(hash.toString('base64'));
  return `${lines.join('\n')}\n\n${receipt.checkpoint}`;
}

export function parseReceipt(text: string): Receipt {
  if (Buffer.byteLength(text, 'utf8') > MAX_RECEIPT_BYTES) throw malformed('too large');
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw malformed('no blank line before the checkpoint');
  const lines = text.slice(0, blank).split('\n');
  const checkpoint = text.slice(blank + 2);
  if (lines[0] !== TLOG_PROOF_HEADER) throw malformed(`first line must be ${TLOG_PROOF_HEADER}`, 1);
  let cursor = 1;
  let extra: Buffer | undefined;
  if (lines[cursor]?.startsWith('extra ')) {
    extra = decodeBase64Strict((lines[cursor] as string).slice(6));
    if (!extra) throw malformed('extra is not valid base64', cursor + 1);
    cursor++;
  }
  const indexLine = lines[cursor];
  if (!indexLine?.startsWith('index ')) throw malformed('missing index line', cursor + 1);
  let index: number;
  try {
    index = parseDecimal(indexLine.slice(6), 'index');
  } catch {
    throw malformed('index must be a decimal with no leading zeros', cursor + 1);
  }
  cursor++;
  const proofLines = lines.slice(cursor);
  if (proofLines.length > MAX_PROOF_LINES) throw malformed('too many proof lines');
  const proof = proofLines.map((line, i) => {
    const hash = decodeBase64Strict(line);
    if (!hash || hash.length !== HASH_SIZE)
      throw malformed('proof line is not base64 of 32 bytes', cursor + i + 1);
    return hash;
  });
  if (checkpoint.length === 0) throw malformed('missing checkpoint');
  return extra ? { index, proof, checkpoint, extra } : { index, proof, checkpoint };
}

export interface VerifiedReceipt extends VerifiedCheckpoint {
  index: number;
  entry: Buffer;
}

/**
 * Pure, offline verification: the checkpoint is signed by `verifierKey` (and cosigned per the
 * policy if one is given), and `entryBytes` (or, if omitted, the receipt's extra data) is the
 * leaf at `index` of the checkpointed tree.
 */
export function verifyReceipt(
  receiptText: string,
  entryBytes: Uint8Array | undefined,
  verifierKey: string | PublicNoteKey,
  options: { origin?: string; policy?: WitnessPolicy } = {},
): VerifiedReceipt {
  const receipt = parseReceipt(receiptText);
  const verified = verifyCheckpoint(receipt.checkpoint, verifierKey, options);
  if (entryBytes && receipt.extra && Buffer.compare(Buffer.from(entryBytes), receipt.extra) !== 0) {
    throw new VerificationError(
      'LEDGER_ENTRY_MISMATCH',
      'the entry given differs from the one the receipt carries',
    );
  }
  const entry = entryBytes ? Buffer.from(entryBytes) : receipt.extra;
  if (!entry) {
    throw new InputError(
      'LEDGER_ENTRY_MISSING',
      'the receipt carries no entry: pass the entry bytes to verify',
    );
  }
  const { size, root } = verified.checkpoint;
  if (!verifyInclusion(receipt.index, size, leafHash(entry), receipt.proof, root)) {
    throw new VerificationError(
      'LEDGER_INCLUSION_FAILED',
      `the entry is not at index ${receipt.index} of the log at size ${size}: the inclusion proof does not verify`,
    );
  }
  return { ...verified, index: receipt.index, entry };
}
