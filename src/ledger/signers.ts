import { VerificationError } from '../util/errors.ts';
import type { NoteSignature, NoteSigner, NoteVerifier } from './note.ts';
import {
  ed25519Sign,
  ed25519Verify,
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  type PrivateNoteKey,
  type PublicNoteKey,
} from './note-keys.ts';

/**
 * Signers and verifiers per key type, in one table: 0x01 signs the note text itself, 0x04
 * (tlog-cosignature/v1) signs `cosignature/v1\ntime <t>\n` ‖ text and carries the timestamp as a
 * big-endian u64 before the Ed25519 signature.
 */
export function cosignedMessage(text: Uint8Array, timestamp: bigint): Buffer {
  return Buffer.concat([Buffer.from(`cosignature/v1\ntime ${timestamp}\n`, 'utf8'), text]);
}

const MAX_TIMESTAMP = (1n << 63n) - 1n;

function ed25519NoteVerifier(key: PublicNoteKey): NoteVerifier {
  return {
    name: key.name,
    keyId: key.keyId,
    verify: (text, signature) => ed25519Verify(key.publicKey, text, signature),
  };
}

function cosignatureVerifier(key: PublicNoteKey): NoteVerifier {
  return {
    name: key.name,
    keyId: key.keyId,
    verify: (text, signature) => {
      if (signature.length !== 8 + 64) return false;
      const timestamp = signature.readBigUInt64BE(0);
      if (timestamp > MAX_TIMESTAMP) return false;
      return ed25519Verify(key.publicKey, cosignedMessage(text, timestamp), signature.subarray(8));
    },
  };
}

const VERIFIER_BY_TYPE: Readonly<Record<number, (key: PublicNoteKey) => NoteVerifier>> = {
  [KEY_TYPE_ED25519]: ed25519NoteVerifier,
  [KEY_TYPE_COSIGNATURE_V1]: cosignatureVerifier,
};

export function verifierFor(key: PublicNoteKey): NoteVerifier {
  const make = VERIFIER_BY_TYPE[key.type];
  if (!make)
    throw new VerificationError('LEDGER_KEY_UNSUPPORTED', `unsupported key type 0x${key.type.toString(16)}`);
  return make(key);
}

export function signerFor(key: PrivateNoteKey, now: () => number = () => Date.now()): NoteSigner {
  if (key.type === KEY_TYPE_ED25519) {
    return { name: key.name, keyId: key.keyId, sign: (text) => ed25519Sign(key, text) };
  }
  if (key.type === KEY_TYPE_COSIGNATURE_V1) {
    return {
      name: key.name,
      keyId: key.keyId,
      sign: (text) => {
        const timestamp = BigInt(Math.floor(now() / 1000));
        const stamp = Buffer.alloc(8);
        stamp.writeBigUInt64BE(timestamp);
        return Buffer.concat([stamp, ed25519Sign(key, cosignedMessage(text, timestamp))]);
      },
    };
  }
  throw new VerificationError('LEDGER_KEY_UNSUPPORTED', `unsupported key type 0x${key.type.toString(16)}`);
}

/** The timestamp of a verified cosignature/v1 signature, in seconds since the epoch. */
export function cosignatureTimestamp(signature: NoteSignature): number | undefined {
  if (signature.signature.length !== 72) return undefined;
  return Number(signature.signature.readBigUInt64BE(0));
}
