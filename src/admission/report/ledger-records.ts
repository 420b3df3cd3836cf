import { createHash } from 'node:crypto';
import { canonicalJson } from '../../ledger/canonical-json.ts';
import type { LedgerRecord } from '../../ledger/records.ts';
import type { DigestSet } from '../../model/digest.ts';
import type { ValidationOutcome } from '../engine.ts';
import { digestSubject } from '../images/reference.ts';
import type { AdmissionDecision } from '../review/response.ts';

/** The gate name admission decisions carry in the ledger. */
export const ADMISSION_GATE = '4';
/** Bounds on a decision record's reasons: the record must stay far below the 64 KiB entry cap. */
export const MAX_DECISION_REASONS = 32;
export const MAX_REASON_CHARS = 1024;
/** The ledger schema's cap on subjects per record. */
const MAX_SUBJECTS = 256;

type GateDecisionRecord = Extract<LedgerRecord, { kind: 'gate-decision' }>;
type BreakGlassRecord = Extract<LedgerRecord, { kind: 'break-glass' }>;

/**
 * Well-formed (the ledger refuses lone surrogates, which request JSON can carry) and at most
 * `max` UTF-16 units; a pair cut in half becomes U+FFFD.
 */
function truncate(text: string, max: number): string {
  const cut = text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  return cut.toWellFormed();
}

/** At most 32 non-empty reasons of at most 1024 characters; the last one says how many were cut. */
export function boundedReasons(reasons: readonly string[]): string[] {
  const kept = reasons.map((r) => r.trim()).filter((r) => r.length > 0);
  if (kept.length <= MAX_DECISION_REASONS) return kept.map((r) => truncate(r, MAX_REASON_CHARS));
  const head = kept.slice(0, MAX_DECISION_REASONS - 1).map((r) => truncate(r, MAX_REASON_CHARS));
  return [...head, `… and ${kept.length - head.length} more`];
}

/**
 * What a decision commits to: the request's image digests, or — when it names no image by
 * digest (a tag-only image refused) — the sha256 of the object as received, canonicalised,
 * because a ledger record must name at least one artifact.
 */
export function decisionSubjects(imageDigests: readonly string[], object: unknown): DigestSet[] {
  const unique = [...new Set(imageDigests)].slice(0, MAX_SUBJECTS);
  if (unique.length > 0) return unique.map(digestSubject);
  let bytes: string;
  try {
    bytes = canonicalJson(object ?? null);
  } catch {
    // Beyond what canonical JSON encodes (lone surrogates, deep nesting): the bytes as serialised.
    bytes = JSON.stringify(object ?? null);
  }
  return [{ sha256: createHash('sha256').update(bytes, 'utf8').digest('hex') }];
}

export interface DecisionContext {
  subjects: DigestSet[];
  policyDigest?: string;
  time: Date;
}

/**
 * The gate-decision record of one evaluated request: fail when denied, warn when admitted despite
 * violations (Audit mode) or by break-glass, pass otherwise. Undefined when no policy applied
 * (no in-scope image, an operation the webhook does not judge): there was no gate decision.
 */
export function decisionRecord(
  outcome: ValidationOutcome,
  context: DecisionContext,
): GateDecisionRecord | undefined {
  const evaluated = outcome.passed > 0 || outcome.violations.length > 0 || outcome.breakGlass.length > 0;
  if (!evaluated) return undefined;
  const { allowed } = outcome.decision;
  const decision = !allowed
    ? 'fail'
    : outcome.violations.length > 0 || outcome.breakGlass.length > 0
      ? 'warn'
      : 'pass';
  const reasons = [
    ...outcome.violations.map((v) => `${v.policy}/${v.rule} ${v.action}: ${v.image}: ${v.message}`),
    ...outcome.breakGlass.map(
      (b) =>
        `break-glass ${b.grant.ticket ?? b.grant.id.slice(0, 12)} admitted ${b.image} until ${b.grant.expires}`,
    ),
  ];
  return buildDecision(decision, reasons, context);
}

/** The record of a decision the engine could not reach (internal error, deadline): fail closed or audit-warn. */
export function failureDecisionRecord(
  decision: AdmissionDecision,
  context: DecisionContext,
): GateDecisionRecord {
  const reason = decision.status?.message ?? decision.warnings[0] ?? 'gatechain could not decide';
  return buildDecision(decision.allowed ? 'warn' : 'fail', [reason], context);
}

function buildDecision(
  decision: GateDecisionRecord['decision'],
  reasons: string[],
  context: DecisionContext,
): GateDecisionRecord {
  const bounded = boundedReasons(reasons);
  return {
    kind: 'gate-decision',
    v: 1,
    gate: ADMISSION_GATE,
    decision,
    subjects: context.subjects,
    ...(context.policyDigest ? { policyDigest: context.policyDigest } : {}),
    ...(bounded.length > 0 ? { reasons: bounded } : {}),
    time: context.time.toISOString(),
  };
}

/**
 * One break-glass record per break-glass use: the image digest it admitted, who signed it (the
 * break-glass key id), why, the ticket, and the attestation bundle that granted it.
 */
export function breakGlassRecords(outcome: ValidationOutcome, time: Date): BreakGlassRecord[] {
  return outcome.breakGlass.map(({ digest, grant }) => ({
    kind: 'break-glass',
    v: 1,
    subjects: [digestSubject(digest)],
    reason: truncate(grant.reason.trim(), 4096) || 'no reason given',
    actor: truncate(grant.keyId || 'unknown-signer', 256),
    ...(grant.ticket ? { ticket: truncate(grant.ticket, 256) } : {}),
    ...(/^[0-9a-f]{64}$/.test(grant.id) ? { documentDigest: `sha256:${grant.id}` } : {}),
    time: time.toISOString(),
  }));
}
