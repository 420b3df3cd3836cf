/**
 * The ledger: gatechain's transparency log (RFC 6962/9162 Merkle tree, C2SP signed-note,
 * tlog-checkpoint, tlog-tiles, tlog-cosignature, tlog-witness, tlog-proof).
 */

export { canonicalJson } from './canonical-json.ts';
export {
  type Checkpoint,
  formatCheckpoint,
  parseCheckpointText,
  verifyCheckpoint,
  type WitnessPolicy,
} from './checkpoint.ts';
export { type ExportResult, exportLedger } from './export.ts';
export { type LedgerRoutesOptions, registerLedgerRoutes } from './http.ts';
export {
  LEDGER_KEY_FILE,
  ledgerVerifierKey,
  loadOrCreateKey,
  type NoteKeyRole,
  WITNESS_KEY_FILE,
} from './key-file.ts';
export { type CheckpointInfo, LEDGER_DB_FILE, Ledger, type OpenLedgerOptions, openLedger } from './ledger.ts';
export {
  consistencyRanges,
  EMPTY_ROOT,
  inclusionRanges,
  leafHash,
  nodeHash,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';
export {
  type MonitorResult,
  type MonitorState,
  monitorOnce,
  parseMonitorState,
  saveMonitorState,
} from './monitor.ts';
export { type Note, type NoteSigner, type NoteVerifier, openNote, parseNote, signNote } from './note.ts';
export {
  formatSignerKey,
  formatVerifierKey,
  generateSignerKey,
  KEY_TYPE_COSIGNATURE_V1,
  KEY_TYPE_ED25519,
  parseSignerKey,
  parseVerifierKey,
  publicPart,
} from './note-keys.ts';
export { openLedgerReader } from './open-reader.ts';
export { LedgerReader } from './reader.ts';
export { formatReceipt, parseReceipt, type Receipt, type VerifiedReceipt, verifyReceipt } from './receipt.ts';
export {
  decodeRecord,
  encodeRecord,
  type LedgerRecord,
  RECORD_KINDS,
  type RecordKind,
  recordDigests,
  validateRecord,
} from './records.ts';
export { signerFor, verifierFor } from './signers.ts';
export type { LedgerStorage, StoredCheckpoint } from './storage.ts';
export { directoryTileFetcher, httpTileFetcher, type TileFetcher, tileFetcherFor } from './tile-fetcher.ts';
export { VerifiedTileReader } from './tile-reader.ts';
export { encodeTileIndex, parseTilePath, tilePath } from './tiles.ts';
export { Witness, type WitnessOptions } from './witness.ts';
export {
  LEDGER_CONFIG_FILE,
  type LedgerConfig,
  parseLedgerConfig,
  type WitnessConfig,
  type WitnessRoleConfig,
} from './witness-config.ts';
