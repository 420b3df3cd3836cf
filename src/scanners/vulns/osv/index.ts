export {
  type DbStatus,
  type EcosystemStatus,
  type ImportSummary,
  OSV_DB_FILE,
  OsvDatabase,
} from './database.ts';
export { decodeRecord, formatOf, MAX_RECORD_BYTES, MAX_YAML_ALIASES, type RecordFormat } from './decode.ts';
export { type ImportOptions, type ImportProgress, type ImportResult, importOsv } from './import.ts';
export {
  type OsvAffected,
  type OsvEvent,
  type OsvRange,
  type OsvRecord,
  type OsvSeverity,
  OsvShapeError,
  validateOsvShape,
} from './record.ts';
export { MAX_ARCHIVE_BYTES, type RecordSource, recordSources } from './sources.ts';
