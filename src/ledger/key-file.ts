import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatechainError } from '../util/errors.ts';
import { formatSignerKey, generateSignerKey, type PrivateNoteKey, parseSignerKey } from './note-keys.ts';

/**
 * The ledger's signing key lives in `<storeDir>/ledger-key` (the witness's in `witness-key`) as a
 * Go-compatible `PRIVATE+KEY+…` line, created on first use with mode 0600. A key file readable by
 * group or others is refused rather than used.
 */
export const LEDGER_KEY_FILE = 'ledger-key';
export const WITNESS_KEY_FILE = 'witness-key';

export function loadOrCreateKey(
  storeDir: string,
  fileName: string,
  defaultName: () => string,
  type: number,
): { key: PrivateNoteKey; created: boolean } {
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
  const key = generateSignerKey(defaultName(), type);
  writeFileSync(file, `${formatSignerKey(key)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, created: true };
}
