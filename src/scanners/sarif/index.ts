export { stableFingerprint } from './fingerprint.ts';
export {
  levelFromSeverity,
  type SarifLevel,
  securityScoreFromSeverity,
  severityFromLevel,
  severityFromSecurityScore,
} from './levels.ts';
export { importSarif, MAX_SARIF_BYTES } from './read.ts';
export { FINGERPRINT_KEY, SARIF_VERSION, type SarifRuleInfo, type SarifToolInfo, toSarif } from './write.ts';
