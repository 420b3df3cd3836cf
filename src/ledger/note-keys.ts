import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { InputError } from '../util/errors.ts';
import { sha256 } from './merkle.ts';

/**
 * Key formats of C2SP signed-note, byte-compatible with golang.org/x/mod/sumdb/note:
 *   verifier key  name+hex(keyID)+base64(type ‖ public key)
 *   signer key    PRIVATE+KEY+name+hex(keyID)+base64(type ‖ seed)
 * keyID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]. Type 0x01 is an Ed25519 note signature,
 * type 0x04 an Ed25519 tlog-cosignature/v1 (the name is not signed, so the type keeps the IDs apart).
 */
export const KEY_TYPE_ED25519 = 0x01;
export const KEY_TYPE_COSIGNATURE_V1 = 0x04;
const SUPPORTED_TYPES = new Set([KEY_TYPE_ED25519, KEY_TYPE_COSIGNATURE_V1]);
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const MAX_KEY_TEXT = 4096;

export interface PublicNoteKey {
  name: string;
  keyId: number;
  type: number;
  publicKey: Buffer;
}

export interface PrivateNoteKey extends PublicNoteKey {
  seed: Buffer;
  privateKey: KeyObject;
}

/** A name is non-empty with no whitespace and no '+' (it is a field of the '+'-joined key text). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && /^[\x21-\x7e\u00a0-\uffff]+$/u.test(name);
}

export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = sha256(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([type]), publicKey]));
  return digest.readUInt32BE(0);
}

export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding, rejecting anything Node's lenient decoder would skip over. */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!STRICT_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Non-canonical trailing bits would decode to the same bytes as another text: reject them.
  return bytes.toString('base64') === text ? bytes : undefined;
}

function malformed(what: string, why: string): InputError {
  return new InputError('LEDGER_KEY_MALFORMED', `${what} is malformed: ${why}`);
}

function splitKeyFields(text: string, what: string): { name: string; hash: string; key: Buffer } {
  if (text.length > MAX_KEY_TEXT) throw malformed(what, 'too long');
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw malformed(what, 'expected name+keyid+base64');
  const name = text.slice(0, first);
  const hash = text.slice(first + 1, second);
  const encoded = text.slice(second + 1);
  if (!isValidKeyName(name)) throw malformed(what, 'invalid key name');
  if (!/^[0-9a-f]{8}$/.test(hash)) throw malformed(what, 'key ID must be 8 lowercase hex digits');
  const key = decodeBase64Strict(encoded);
  if (!key || key.length < 1) throw malformed(what, 'key material is not valid base64');
  return { name, hash, key };
}

export function parseVerifierKey(text: string): PublicNoteKey {
  const { name, hash, key } = splitKeyFields(text.trim(), 'verifier key');
  const type = key[0] as number;
  if (!SUPPORTED_TYPES.has(type))
    throw malformed('verifier key', `unsupported key type 0x${type.toString(16)}`);
  const publicKey = key.subarray(1);
  if (publicKey.length !== 32) throw malformed('verifier key', 'Ed25519 public key must be 32 bytes');
  const keyId = computeKeyId(name, type, publicKey);
  if (keyIdHex(keyId) !== hash) throw malformed('verifier key', 'key ID does not match name and key');
  return { name, keyId, type, publicKey: Buffer.from(publicKey) };
}

export function formatVerifierKey(key: PublicNoteKey): string {
  const material = Buffer.concat([Buffer.from([key.type]), key.publicKey]).toString('base64');
  return `${key.name}+${keyIdHex(key.keyId)}+${material}`;
}

function privateKeyFromSeed(seed: Uint8Array): { privateKey: KeyObject; publicKey: Buffer } {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicKey: Buffer.from(String(jwk.x), 'base64url') };
}

/**
 * Parses `PRIVATE+KEY+name+keyid+base64(type ‖ seed)`. The type byte of the text is the key's
 * note-signature type; `asType` re-types the same seed (e.g. a witness signing cosignatures).
 */
export function parseSignerKey(text: string): PrivateNoteKey {
  const trimmed = text.trim();
  if (!trimmed.startsWith('PRIVATE+KEY+')) throw malformed('signer key', 'must start with PRIVATE+KEY+');
  const { name, hash, key } = splitKeyFields(trimmed.slice('PRIVATE+KEY+'.length), 'signer key');
  const type = key[0] as number;
  if (!SUPPORTED_TYPES.has(type))
    throw malformed('signer key', `unsupported key type 0x${type.toString(16)}`);
  const seed = key.subarray(1);
  if (seed.length !== 32) throw malformed('signer key', 'Ed25519 seed must be 32 bytes');
  const { privateKey, publicKey } = privateKeyFromSeed(seed);
  const keyId = computeKeyId(name, type, publicKey);
  if (keyIdHex(keyId) !== hash) throw malformed('signer key', 'key ID does not match name and key');
  return { name, keyId, type, publicKey, seed: Buffer.from(seed), privateKey };
}

export function formatSignerKey(key: PrivateNoteKey): string {
  const material = Buffer.concat([Buffer.from([key.type]), key.seed]).toString('base64');
  return `PRIVATE+KEY+${key.name}+${keyIdHex(key.keyId)}+${material}`;
}

export function signerFromSeed(name: string, seed: Uint8Array, type = KEY_TYPE_ED25519): PrivateNoteKey {
  if (!isValidKeyName(name)) throw malformed('signer key', `invalid key name ${JSON.stringify(name)}`);
  const { privateKey, publicKey } = privateKeyFromSeed(seed);
  return {
    name,
    keyId: computeKeyId(name, type, publicKey),
    type,
    publicKey,
    seed: Buffer.from(seed),
    privateKey,
  };
}

export function generateSignerKey(name: string, type = KEY_TYPE_ED25519): PrivateNoteKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return signerFromSeed(name, Buffer.from(String(jwk.d), 'base64url'), type);
}

export function publicPart(key: PublicNoteKey): PublicNoteKey {
  return { name: key.name, keyId: key.keyId, type: key.type, publicKey: key.publicKey };
}

export function ed25519Sign(key: PrivateNoteKey, message: Uint8Array): Buffer {
  return sign(null, message, key.privateKey);
}

const publicKeyCache = new WeakMap<Buffer, KeyObject>();

export function ed25519Verify(publicKey: Buffer, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  let keyObject = publicKeyCache.get(publicKey);
  if (!keyObject) {
    keyObject = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
      format: 'jwk',
    });
    publicKeyCache.set(publicKey, keyObject);
  }
  try {
    return verify(null, message, keyObject, signature);
  } catch {
    return false;
  }
}
