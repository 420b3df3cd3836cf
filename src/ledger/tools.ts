/**
 * The ledger API the `gatechain log` commands use: everything in index.ts except the HTTP routes
 * and the witness server, so a command does not pay for loading Fastify.
 */
export { parseCheckpointText } from './checkpoint.ts';
export { exportLedger } from './export.ts';
export { LEDGER_KEY_FILE, loadOrCreateKey, WITNESS_KEY_FILE } from './key-file.ts';
export { sha256 } from './merkle.ts';
export { monitorOnce } from './monitor.ts';
export { parseNote } from './note.ts';
export {
  formatVerifierKey,
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  parseSignerKey,
  parseVerifierKey,
  publicPart,
} from './note-keys.ts';
export { openLedgerReader } from './open-reader.ts';
export { parseReceipt, verifyReceipt } from './receipt.ts';
export { decodeRecord, recordDigests } from './records.ts';
export { tileFetcherFor } from './tile-fetcher.ts';
