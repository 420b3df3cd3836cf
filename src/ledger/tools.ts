/**
 * The part of the ledger API the `gatechain log` commands use, without the HTTP routes and the
 * witness server, so a command does not pay for loading Fastify.
 */
export { parseCheckpointText } from './checkpoint.ts';
export { exportLedger } from './export.ts';
export { ledgerVerifierKey, loadOrCreateKey } from './key-file.ts';
export { monitorOnce, parseMonitorState, saveMonitorState } from './monitor.ts';
export { parseNote } from './note.ts';
export { formatVerifierKey, parseVerifierKey, publicPart } from './note-keys.ts';
export { openLedgerReader } from './open-reader.ts';
export { tileFetcherFor } from './tile-fetcher.ts';
