export {
  compileConfig,
  type LoadRuleSetOptions,
  loadRuleSet,
  MAX_CONFIG_BYTES,
  ruleSetDigest,
} from './config.ts';
export { DEFAULT_CONFIG } from './default-rules.ts';
export { defaultRuleSet } from './default-set.ts';
export { createMatcher, INLINE_ALLOW_MARKERS, type Matcher } from './engine.ts';
export { shannonEntropy } from './entropy.ts';
export { gitleaksFingerprint, secretFingerprint, TOOL, unsuppressed } from './findings.ts';
export { importGitleaksReport } from './gitleaks-import.ts';
export { redactMatch, redactSecret, secretDigest } from './redact.ts';
export {
  jsonReport,
  REPORT_FORMATS,
  type ReportFormat,
  renderReport,
  sarifReport,
  tableReport,
} from './report.ts';
export {
  type ScanMode,
  type ScanSecretsOptions,
  type ScanSecretsResult,
  type ScanStats,
  scanSecrets,
} from './scan.ts';
export { DEFAULT_MAX_FILE_BYTES } from './source-tree.ts';
export { IGNORE_FILE_NAMES, parseBaseline, parseIgnoreFile } from './suppress.ts';
export type { Allowlist, Fragment, LinearRegex, RawMatch, Rule, RuleSet } from './types.ts';
