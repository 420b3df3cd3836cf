export {
  DEFAULT_DEPS_POLICY,
  type DecidedFinding,
  type DepsGatePolicy,
  type DepsGateResult,
  decideDeps,
  type FindingDecision,
  type VerifiedVulnException,
} from '../deps.ts';
export {
  DEFAULT_IGNORE_FILE,
  expiryInstant,
  type IgnoreEntry,
  MAX_IGNORE_FILE_BYTES,
  parseIgnoreFile,
} from './ignore-file.ts';
