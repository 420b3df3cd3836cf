import { InputError, VerificationError } from '../util/errors.ts';
import { decodeBase64Strict, isValidKeyName, keyIdHex } from './note-keys.ts';

/**
 * C2SP signed-note: UTF-8 text ending in a newline, a blank line, then one line per signature
 * `— <name> base64(keyID[4] ‖ signature)`. The text/signature split is at the LAST blank line.
 * Unknown keys are ignored; a known key whose signature fails rejects the whole note (fail closed).
 */
const EM_DASH = '\u2014';
export const MAX_NOTE_BYTES = 1 << 20;
export const MAX_NOTE_SIGNATURES = 100;

export interface NoteSignature {
  name: string;
  keyId: number;
  /** Signature bytes after the 4-byte key ID. */
  signature: Buffer;
  /** The signature line without the trailing newline. */
  line: string;
}

export interface Note {
  text: string;
  signatures: NoteSignature[];
}

export interface NoteVerifier {
  name: string;
  keyId: number;
  verify(text: Buffer, signature: Buffer): boolean;
}

export interface NoteSigner {
  name: string;
  keyId: number;
  sign(text: Buffer): Buffer;
}

export interface OpenedNote extends Note {
  verified: NoteSignature[];
  unverified: NoteSignature[];
}

function malformed(why: string, line?: number): InputError {
  return new InputError(
    'LEDGER_NOTE_MALFORMED',
    `malformed note: ${why}`,
    line === undefined ? {} : { line },
  );
}

/** Text rules shared by notes and their bodies: valid UTF-8, no control characters but newline. */
function checkText(text: string): void {
  const bad = /[\u0000-\u0009\u000b-\u001f\u007f]/.exec(text);
  if (bad) throw malformed(`control character at offset ${bad.index}`);
  if (!text.isWellFormed()) throw malformed('not valid UTF-8');
}

export function decodeNoteBytes(bytes: Uint8Array): string {
  if (bytes.length > MAX_NOTE_BYTES) throw malformed(`larger than ${MAX_NOTE_BYTES} bytes`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw malformed('not valid UTF-8');
  }
}

export function parseSignatureLine(line: string, lineNumber?: number): NoteSignature {
  if (!line.startsWith(`${EM_DASH} `)) throw malformed('signature line must start with "— "', lineNumber);
  const rest = line.slice(2);
  const space = rest.indexOf(' ');
  if (space < 0) throw malformed('signature line needs a name and a signature', lineNumber);
  const name = rest.slice(0, space);
  const encoded = rest.slice(space + 1);
  if (!isValidKeyName(name)) throw malformed(`invalid signer name ${JSON.stringify(name)}`, lineNumber);
  const bytes = decodeBase64Strict(encoded);
  if (!bytes || bytes.length < 5)
    throw malformed('signature is not valid base64 of at least 5 bytes', lineNumber);
  return { name, keyId: bytes.readUInt32BE(0), signature: Buffer.from(bytes.subarray(4)), line };
}

/** Splits a note into text and signature lines without verifying anything. */
export function parseNote(message: string): Note {
  if (Buffer.byteLength(message, 'utf8') > MAX_NOTE_BYTES)
    throw malformed(`larger than ${MAX_NOTE_BYTES} bytes`);
  checkText(message);
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('signature block must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  const textLines = text.split('\n').length - 1;
  const signatures = lines.map((line, i) => parseSignatureLine(line, textLines + 2 + i));
  return { text, signatures };
}

/**
 * Verifies a note against the given verifiers. At least one signature must be from a known key
 * and every signature from a known key must verify.
 */
export function openNote(message: string, verifiers: readonly NoteVerifier[]): OpenedNote {
  const note = parseNote(message);
  const textBytes = Buffer.from(note.text, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seenVerified = new Set<string>();
  for (const signature of note.signatures) {
    const matches = verifiers.filter((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (matches.length > 1) {
      throw new InputError(
        'LEDGER_NOTE_AMBIGUOUS_KEY',
        `ambiguous key ${signature.name}+${keyIdHex(signature.keyId)}: configured more than once`,
      );
    }
    const verifier = matches[0];
    if (!verifier) {
      if (!unverified.some((u) => u.line === signature.line)) unverified.push(signature);
      continue;
    }
    if (!verifier.verify(textBytes, signature.signature)) {
      throw new VerificationError(
        'LEDGER_NOTE_BAD_SIGNATURE',
        `invalid signature for key ${signature.name}+${keyIdHex(signature.keyId)}`,
      );
    }
    const id = `${signature.name}+${signature.keyId}`;
    if (!seenVerified.has(id)) {
      seenVerified.add(id);
      verified.push(signature);
    }
  }
  if (verified.length === 0) {
    throw new VerificationError('LEDGER_NOTE_UNVERIFIED', 'note has no signature from a trusted key');
  }
  return { ...note, verified, unverified };
}

export function formatSignatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const bytes = Buffer.alloc(4 + signature.length);
  bytes.writeUInt32BE(keyId >>> 0, 0);
  bytes.set(signature, 4);
  return `${EM_DASH} ${name} ${bytes.toString('base64')}`;
}

/** Signs text (which must end in a newline) and returns the note with the given signatures. */
export function signNote(
  text: string,
  signers: readonly NoteSigner[],
  existing: readonly NoteSignature[] = [],
): string {
  if (text.length < 1 || !text.endsWith('\n')) throw malformed('text must end with a newline');
  checkText(text);
  const textBytes = Buffer.from(text, 'utf8');
  // As in Go's note.Sign: existing signatures first, minus any from a key that signs again.
  const lines: string[] = existing
    .filter((signature) => !signers.some((s) => s.name === signature.name && s.keyId === signature.keyId))
    .map((signature) => signature.line);
  for (const signer of signers) {
    if (!isValidKeyName(signer.name)) throw malformed(`invalid signer name ${JSON.stringify(signer.name)}`);
    lines.push(formatSignatureLine(signer.name, signer.keyId, signer.sign(textBytes)));
  }
  return `${text}\n${lines.map((line) => `${line}\n`).join('')}`;
}
