export { listSourceFiles, SOURCE_EXTENSIONS } from './files.ts';
export { renderSast, SAST_FORMATS, type SastFormat, sastSarif, textTable } from './report.ts';
export { BUILTIN_RULES } from './rules/index.ts';
export { rulesetDigest, type SastOptions, type SastResult, scanSast } from './scan.ts';
export { PARSE_ERROR_RULE_ID, SAST_ENGINE_VERSION, SAST_TOOL_NAME, scanSource } from './scan-file.ts';
export type { RuleContext, SastRule, SastRuleMeta } from './types.ts';
