/**
 * Vulnerability matching: per-ecosystem version orderings, the local OSV database, matching by
 * (ecosystem, name), CVSS scoring, and the statements gate 2 signs.
 */
export {
  type ScannerInfo,
  sbomStatement,
  type VulnScanPredicate,
  vulnScanStatement,
} from './attest/index.ts';
export { matchToFinding, SCANNER_NAME } from './findings.ts';
export {
  type AdvisoryHit,
  AdvisoryIndex,
  InventoryIndex,
  normalizePackageName,
  type VulnMatch,
} from './match/index.ts';
export { type DbStatus, type ImportResult, importOsv, OsvDatabase, type OsvRecord } from './osv/index.ts';
export { renderFindingsTable } from './render.ts';
export { type DepsScan, type DepsScanOptions, scanDeps } from './scan.ts';
export { cvss3BaseScore, cvss4Score, type ResolvedSeverity, ratingFromScore } from './severity/index.ts';
export { compareVersions, schemeFor, VERSION_SCHEMES, type VersionScheme } from './versions/index.ts';
