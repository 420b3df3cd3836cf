import { createCipheriv, type KeyObject, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * Encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo) with PBES2 (RFC 8018): PBKDF2-HMAC-SHA256
 * and AES-256-CBC. Written by hand because node:crypto's own export fixes PBKDF2 at OpenSSL's
 * default of 2048 iterations, far too few against offline guessing of a stolen key file.
 * Reading needs no custom code: OpenSSL (createPrivateKey with a passphrase) decrypts any
 * iteration count.
 */
export const PBKDF2_ITERATIONS = 600_000;

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_HMAC_SHA256 = '1.2.840.113549.2.9';
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let value = n; value > 0; value = Math.floor(value / 256)) bytes.unshift(value & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...content: Buffer[]) => tlv(0x30, ...content);
const octets = (bytes: Buffer) => tlv(0x04, bytes);
const nullValue = () => Buffer.from([0x05, 0x00]);

function integer(n: number): Buffer {
  const bytes: number[] = [];
  for (let value = n; value > 0; value = Math.floor(value / 256)) bytes.unshift(value & 0xff);
  if (bytes.length === 0 || (bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** The private key as `-----BEGIN ENCRYPTED PRIVATE KEY-----` PEM. */
export function encryptPrivateKey(
  privateKey: KeyObject,
  passphrase: string,
  iterations = PBKDF2_ITERATIONS,
): string {
  const plain = privateKey.export({ type: 'pkcs8', format: 'der' });
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(passphrase, salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  key.fill(0);
  const der = sequence(
    sequence(
      oid(OID_PBES2),
      sequence(
        sequence(
          oid(OID_PBKDF2),
          sequence(octets(salt), integer(iterations), sequence(oid(OID_HMAC_SHA256), nullValue())),
        ),
        sequence(oid(OID_AES256_CBC), octets(iv)),
      ),
    ),
    octets(encrypted),
  );
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${lines.join('\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
}
