import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { InputError } from '../util/errors.ts';
import { MAX_KEY_PEM_BYTES } from './limits.ts';
import { encryptPrivateKey } from './pkcs8.ts';
import type { KeyAlgorithm, Signer, TrustedKey } from './types.ts';

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ed25519', 'ecdsa-p256'];

export interface GeneratedKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

export function isKeyAlgorithm(value: string): value is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly string[]).includes(value);
}

/** A new key pair; the private half leaves this function only encrypted with the passphrase. */
export function generateKeyPair(algorithm: KeyAlgorithm, passphrase: string): GeneratedKeyPair {
  if (!isKeyAlgorithm(algorithm)) {
    throw new InputError(
      'KEY_ALGORITHM_UNSUPPORTED',
      `key algorithm ${JSON.stringify(algorithm)} is not supported; use ${KEY_ALGORITHMS.join(' or ')}`,
    );
  }
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new InputError('KEY_PASSPHRASE_EMPTY', 'refusing to write a private key with an empty passphrase');
  }
  const { privateKey, publicKey } =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateKeyPem = encryptPrivateKey(privateKey, passphrase);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  return { privateKeyPem, publicKeyPem, keyId: keyIdOf(publicKey) };
}

const keyIdCache = new WeakMap<KeyObject, string>();

/**
 * The stable key id: lowercase hex SHA-256 of the public key's SubjectPublicKeyInfo DER.
 * It depends on the key alone, never on the PEM text's line breaks or comments.
 */
export function keyIdOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? parsePublicKey(publicKey) : publicKey;
  if (key.type !== 'public') {
    throw new InputError('KEY_FILE_INVALID', 'a key id is computed from a public key');
  }
  const cached = keyIdCache.get(key);
  if (cached) return cached;
  const der = key.export({ type: 'spki', format: 'der' });
  const id = createHash('sha256').update(der).digest('hex');
  keyIdCache.set(key, id);
  return id;
}

/** The algorithm of a key object, or a typed error for any key gatechain does not sign with. */
export function algorithmOf(key: KeyObject, file?: string): KeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ecdsa-p256';
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new InputError(
    'KEY_ALGORITHM_UNSUPPORTED',
    `key type ${key.asymmetricKeyType}${curve ? ` (${curve})` : ''} is not supported; use Ed25519 or ECDSA P-256`,
    { file },
  );
}

function checkPemSize(pem: string, file?: string): void {
  if (typeof pem !== 'string' || pem.length === 0) {
    throw new InputError('KEY_FILE_INVALID', 'key file is empty', { file });
  }
  if (pem.length > MAX_KEY_PEM_BYTES) {
    throw new InputError('KEY_FILE_INVALID', `key file is larger than ${MAX_KEY_PEM_BYTES} bytes`, { file });
  }
}

function parsePublicKey(pem: string, file?: string): KeyObject {
  checkPemSize(pem, file);
  // createPublicKey would also derive a public key from a private one; a trust file must never
  // hold private material, so only a PUBLIC KEY block is accepted.
  if (!/-----BEGIN PUBLIC KEY-----/.test(pem)) {
    throw new InputError('KEY_FILE_INVALID', 'expected an SPKI public key (-----BEGIN PUBLIC KEY-----)', {
      file,
    });
  }
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new InputError(
      'KEY_FILE_INVALID',
      'the public key could not be parsed',
      { file },
      { cause: error },
    );
  }
}

/** A public key the verifier trusts, parsed once: verification reuses the KeyObject. */
export function loadTrustedKey(publicKeyPem: string, name?: string, file?: string): TrustedKey {
  const publicKey = parsePublicKey(publicKeyPem, file);
  algorithmOf(publicKey, file);
  const trusted: TrustedKey = { keyId: keyIdOf(publicKey), publicKey };
  if (name !== undefined) trusted.name = name;
  return trusted;
}

/** Signs with a private key held in memory, decrypted once from an encrypted PKCS#8 file. */
export class KeyFileSigner implements Signer {
  readonly keyId: string;
  readonly algorithm: KeyAlgorithm;
  readonly publicKeyPem: string;
  readonly #privateKey: KeyObject;

  constructor(privateKey: KeyObject) {
    this.#privateKey = privateKey;
    this.algorithm = algorithmOf(privateKey);
    const publicKey = createPublicKey(privateKey);
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    this.keyId = keyIdOf(publicKey);
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    // Ed25519 hashes internally (no digest name); ECDSA signs SHA-256 and yields DER, as Sigstore expects.
    return cryptoSign(this.algorithm === 'ed25519' ? null : 'sha256', data, this.#privateKey);
  }

  /** Never reveal key material through logging or JSON.stringify. */
  toJSON(): Record<string, string> {
    return { keyId: this.keyId, algorithm: this.algorithm };
  }
}

/**
 * Decrypts a private key file. Only encrypted PKCS#8 is accepted, so a key that was written in
 * clear by mistake is noticed rather than used. The passphrase is never part of any message.
 */
export function loadSigner(privateKeyPem: string, passphrase: string, file?: string): Signer {
  checkPemSize(privateKeyPem, file);
  if (!/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(privateKeyPem)) {
    throw new InputError(
      'KEY_FILE_INVALID',
      'expected a passphrase-encrypted PKCS#8 private key (-----BEGIN ENCRYPTED PRIVATE KEY-----)',
      { file },
    );
  }
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new InputError('KEY_PASSPHRASE_EMPTY', 'a passphrase is needed to decrypt the private key', {
      file,
    });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: privateKeyPem, format: 'pem', passphrase });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const badPassphrase = /DECRYPT|BAD_PASSWORD|PASSPHRASE/i.test(code) || /decrypt/i.test(String(error));
    throw new InputError(
      badPassphrase ? 'KEY_PASSPHRASE_INVALID' : 'KEY_FILE_INVALID',
      badPassphrase
        ? 'the passphrase does not decrypt this private key'
        : 'the private key could not be parsed',
      { file },
    );
  }
  return new KeyFileSigner(privateKey);
}
