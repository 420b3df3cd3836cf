import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatechainError } from '../util/errors.ts';
import {
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  type PrivateNoteKey,
  parseSignerKey,
  publicPart,
} from './note-keys.ts';

/**
 * The ledger's signing key lives in `<storeDir>/ledger-key` (the witness's in `witness-key`) as a
 * Go-compatible `PRIVATE+KEY+…` line, created on first use with mode 0600. A key file readable by
 * group or others is refused rather than used.
 */
export const LEDGER_KEY_FILE = 'ledger-key';
export const WITNESS_KEY_FILE = 'witness-key';

/** The log signs checkpoints with an Ed25519 note key; the witness cosigns with a cosignature/v1 key. */
const KEY_ROLES = {
  ledger: { file: LEDGER_KEY_FILE, type: KEY_TYPE_ED25519 },
  witness: { file: WITNESS_KEY_FILE, type: KEY_TYPE_COSIGNATURE_V1 },
} as const;

export type NoteKeyRole = keyof typeof KEY_ROLES;

/**
 * Loads the key of `role` from `storeDir`, or creates it named `name` (default
 * `gatechain.local/<role>-<8 hex>`).
 */
export function loadOrCreateKey(
  storeDir: string,
  role: NoteKeyRole,
  name?: string,
): { key: PrivateNoteKey; created: boolean } {
  const { file: fileName, type } = KEY_ROLES[role];
  const file = join(storeDir, fileName);
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o077;
    if (mode !== 0 && process.platform !== 'win32') {
      throw new GatechainError(
        'LEDGER_KEY_PERMISSIONS',
        `${file} is readable by other users (mode ${(statSync(file).mode & 0o777).toString(8)}); run chmod 600 ${file}`,
        { file },
      );
    }
    const key = parseSignerKey(readFileSync(file, 'utf8'));
    if (key.type !== type) {
      throw new GatechainError(
        'LEDGER_KEY_MALFORMED',
        `${file} holds a key of type ${key.type}, expected ${type}`,
        { file },
      );
    }
    return { key, created: false };
  }
  mkdirSync(storeDir, { recursive: true });
  const key = generateSignerKey(name ?? `gatechain.local/${role}-${randomBytes(4).toString('hex')}`, type);
  writeFileSync(file, `${formatSignerKey(key)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, created: true };
}

/**
 * The verifier key of the log in `storeDir`, read from its key file without creating one (and,
 * unlike loadOrCreateKey, without the permission check: only the public half is used).
 */
export function ledgerVerifierKey(storeDir: string): string | undefined {
  const file = join(storeDir, LEDGER_KEY_FILE);
  if (!existsSync(file)) return undefined;
  return formatVerifierKey(publicPart(parseSignerKey(readFileSync(file, 'utf8'))));
}
