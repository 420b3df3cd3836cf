/**
 * Gate 1, code integrity: secrets + SAST + license policy → decision → code-scan attestation.
 * The pure parts live in ./code/; `defaultCodeGateDeps` wires the real scanners.
 */
import { loadComponents } from '../scanners/licenses/index.ts';
import { scanSast } from '../scanners/sast/index.ts';
import { TOOL as SECRETS_TOOL, scanSecrets } from '../scanners/secrets/index.ts';
import type { CodeGateDeps } from './code/run.ts';

export { canonicalJson } from '../util/canonical-json.ts';
export { sha256Hex } from './code/canonical.ts';
export {
  type CodeGateDecision,
  type DecisionReason,
  decideCodeGate,
  type GateResult,
  isSuppressed,
} from './code/decide.ts';
export {
  type CodeGatePolicy,
  DEFAULT_CODE_GATE_POLICY,
  type FindingKindPolicy,
  parseCodeGatePolicy,
  type Threshold,
} from './code/policy.ts';
export { type CodeGateDeps, type CodeGateOptions, type CodeGateRun, runCodeGate } from './code/run.ts';
export {
  buildCodeScanStatement,
  type CanonicalFinding,
  type CodeScanInput,
  canonicalFindings,
  findingsDigest,
  type GatechainCodeScanPredicate,
  type RuleSetRecord,
} from './code/statement.ts';

/** Gate 1 runs as gate number 1 in the store. */
export const CODE_GATE_NUMBER = 1;

export const defaultCodeGateDeps: CodeGateDeps = {
  scanSecrets,
  scanSast,
  loadComponents,
  now: () => new Date(),
  secretsTool: { name: SECRETS_TOOL.name, version: SECRETS_TOOL.version },
};
