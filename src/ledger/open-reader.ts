import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GatechainError } from '../util/errors.ts';
import { LedgerReader } from './reader.ts';
import { LEDGER_DB_FILE, openSqliteStorage } from './sqlite-storage.ts';

/** Opens a ledger store read-only (no writer lock), for commands that only read. */
export function openLedgerReader(storeDir: string): LedgerReader {
  const file = join(resolve(storeDir), LEDGER_DB_FILE);
  if (!existsSync(file)) {
    throw new GatechainError(
      'LEDGER_NOT_FOUND',
      `no ledger in ${resolve(storeDir)} (expected ${LEDGER_DB_FILE})`,
      { file },
    );
  }
  return new LedgerReader(openSqliteStorage(file, { readOnly: true }));
}
