/**
 * Gate 4, admission: Kubernetes AdmissionReview handling over a Kyverno `verifyImages` subset,
 * verified against the attestation store. Pure decision core (engine, policy, conditions) with
 * I/O at the edges (store source, registry resolver, record store, notifications).
 */
export { singleflight, VerificationCache } from './cache.ts';
export { evaluateConditions } from './conditions/evaluate.ts';
export { OPERATORS } from './conditions/operators.ts';
export { parseTemplate, resolveOperand } from './conditions/template.ts';
export {
  AdmissionEngine,
  CHAIN_RULE,
  type EngineOptions,
  type Keyring,
  type ResourceRef,
  type ValidationOutcome,
  type Violation,
} from './engine.ts';
export { containerImages, POD_SPEC_PATHS } from './images/pod-specs.ts';
export { formatImageReference, type ImageReference, parseImageReference } from './images/reference.ts';
export { postNotice } from './notify.ts';
export { globMatch } from './policy/glob.ts';
export { AUTOGEN_CONTROLLERS, loadPolicies } from './policy/load.ts';
export type * from './policy/types.ts';
export {
  ADMISSION_GATE,
  boundedReasons,
  breakGlassRecords,
  decisionRecord,
  decisionSubjects,
  failureDecisionRecord,
  MAX_DECISION_REASONS,
  MAX_REASON_CHARS,
} from './report/ledger-records.ts';
export { type AdmissionRecord, recordsOf, summarise, toPolicyReports } from './report/records.ts';
export { ADMISSION_DB, type AdmissionRecordStore, openAdmissionRecordStore } from './report/sqlite.ts';
export { firstResolver, registryResolver, storeTagResolver } from './resolve.ts';
export { type AdmissionRequest, parseAdmissionReview, parseTimeoutParameter } from './review/parse.ts';
export { type AdmissionDecision, buildReviewResponse, type JsonPatchOperation } from './review/response.ts';
export {
  buildKeyring,
  createAdmissionEngine,
  policySetDigest,
  readPolicyFiles,
  sha256Digest,
  storeSource,
} from './setup.ts';
export { DEFAULT_BREAK_GLASS_TTL_SECONDS, findBreakGlass } from './verify/break-glass.ts';
export { collectEvidence } from './verify/evidence.ts';
