import { InputError, VerificationError } from '../util/errors.ts';
import { HASH_SIZE } from './merkle.ts';
import { type OpenedNote, openNote } from './note.ts';
import { decodeBase64Strict, type PublicNoteKey, parseVerifierKey } from './note-keys.ts';
import { verifierFor } from './signers.ts';

/**
 * C2SP tlog-checkpoint: the note text `origin\nsize\nbase64(root)\n` followed by optional extension
 * lines. Size is decimal without leading zeros. Only the log's signature makes it a checkpoint;
 * witnesses add cosignatures over the same text.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  extensions: string[];
}

function malformed(why: string, line?: number): InputError {
  return new InputError('LEDGER_CHECKPOINT_MALFORMED', `malformed checkpoint: ${why}`, line ? { line } : {});
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const lines = [
    checkpoint.origin,
    String(checkpoint.size),
    checkpoint.root.toString('base64'),
    ...checkpoint.extensions,
  ];
  return `${lines.join('\n')}\n`;
}

export function parseDecimal(text: string, what: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text))
    throw malformed(`${what} must be a decimal with no leading zeros`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw malformed(`${what} is too large`);
  return value;
}

/** Parses a checkpoint body (the note text, without signatures). */
export function parseCheckpointText(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('needs origin, size and root lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw malformed('empty origin line', 1);
  let size: number;
  try {
    size = parseDecimal(sizeText, 'size');
  } catch (error) {
    throw malformed((error as Error).message.replace(/^malformed checkpoint: /, ''), 2);
  }
  const root = decodeBase64Strict(rootText);
  if (!root || root.length !== HASH_SIZE) throw malformed('root must be base64 of 32 bytes', 3);
  extensions.forEach((line, i) => {
    if (line.length === 0) throw malformed('empty extension line', 4 + i);
  });
  return { origin, size, root, extensions };
}

export interface WitnessPolicy {
  /** Cosigner verifier keys (type 0x04). */
  witnesses: PublicNoteKey[];
  /** How many distinct witnesses must have cosigned. */
  quorum: number;
}

export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  note: OpenedNote;
  /** Names of the witnesses whose cosignature verified. */
  cosigners: string[];
}

/**
 * Verifies a signed checkpoint: the log's signature must verify, the origin must match the
 * expected one (default: the log key's name) and, with a policy, at least `quorum` witnesses
 * must have cosigned. Bad signatures from known keys fail the whole note.
 */
export function verifyCheckpoint(
  noteText: string,
  logKey: PublicNoteKey | string,
  options: { origin?: string; policy?: WitnessPolicy } = {},
): VerifiedCheckpoint {
  const key = typeof logKey === 'string' ? parseVerifierKey(logKey) : logKey;
  const witnessKeys = options.policy?.witnesses ?? [];
  const note = openNote(noteText, [key, ...witnessKeys].map(verifierFor));
  if (!note.verified.some((s) => s.name === key.name && s.keyId === key.keyId)) {
    throw new VerificationError(
      'LEDGER_NOTE_UNVERIFIED',
      `checkpoint is not signed by the log key ${key.name}`,
    );
  }
  const checkpoint = parseCheckpointText(note.text);
  const origin = options.origin ?? key.name;
  if (checkpoint.origin !== origin) {
    throw new VerificationError(
      'LEDGER_ORIGIN_MISMATCH',
      `checkpoint origin ${JSON.stringify(checkpoint.origin)} is not the expected ${JSON.stringify(origin)}`,
    );
  }
  const cosigners = [
    ...new Set(
      note.verified
        .filter((s) => witnessKeys.some((w) => w.name === s.name && w.keyId === s.keyId))
        .map((s) => `${s.name}+${s.keyId}`),
    ),
  ];
  if (options.policy && cosigners.length < options.policy.quorum) {
    throw new VerificationError(
      'LEDGER_WITNESS_QUORUM',
      `checkpoint has ${cosigners.length} valid witness cosignatures, policy requires ${options.policy.quorum}`,
    );
  }
  return { checkpoint, note, cosigners };
}
