import type { TrustedKey } from '../attest/types.ts';
import type { Statement } from '../model/statement.ts';
import type { ChainPolicyDocument, GateDocument } from './schema.ts';

export interface ResolvedSigner {
  name: string;
  /** Set for public-key signers. */
  key?: TrustedKey;
  /** Set for keyless signers (reserved: not verifiable yet). */
  keyless?: { subject: string; issuer: string };
}

/** A loaded chain policy: the document with predicate aliases resolved and signer keys parsed. */
export interface ChainPolicy {
  name: string;
  /** sha256 hex of the policy file's bytes, recorded in decisions. */
  digest: string;
  source?: string;
  signers: Map<string, ResolvedSigner>;
  gates: GateDocument[];
  breakGlass?: ChainPolicyDocument['breakGlass'];
}

/** A verified attestation, as the evaluator sees it. */
export interface Evidence {
  id: string;
  statement: Statement;
  keyId: string;
  /** Every policy signer name bound to the verifying key. */
  signerNames: string[];
  createdAt: string;
}

/** A stored attestation that failed verification: reported, never trusted. */
export interface RejectedEvidence {
  id: string;
  /** Read without trust, only to say which requirement the failure concerns. */
  predicateType?: string;
  code: string;
  reason: string;
}

export interface EvidenceSet {
  artifact: Evidence[];
  source: Evidence[];
  rejected: RejectedEvidence[];
  /** Digest sets the source role resolved to, for the report. */
  sourceSubjects: Record<string, string>[];
  /** How the source was found: through provenance, or the subject itself. */
  sourceVia: 'provenance' | 'subject';
}

export type CheckCode =
  | 'OK'
  | 'MISSING'
  | 'SIGNER_UNTRUSTED'
  | 'VERIFICATION_FAILED'
  | 'CONDITION_FAILED'
  | 'VULNERABILITY_BLOCKED'
  | 'EXCEPTION_EXPIRED'
  | 'WAIVED_SCAN_SKIP'
  | 'SCAN_SKIP_EXPIRED';

/** The verdict on one stored attestation against one requirement. */
export interface AttestationCheck {
  id: string;
  signer?: string;
  passed: boolean;
  code: CheckCode;
  reason: string;
}

export interface RequirementResult {
  predicateType: string;
  passed: boolean;
  code: CheckCode;
  reason: string;
  attestations: AttestationCheck[];
  /** Exceptions or waivers this result relied on, with the time they stop applying. */
  reliedOn: { id: string; kind: 'vuln-exception' | 'scan-skip'; expires: string }[];
}

export interface GateResult {
  gate: number;
  name: string;
  about: 'source' | 'artifact';
  passed: boolean;
  requirements: RequirementResult[];
}

export type ChainDecision = 'pass' | 'fail' | 'break-glass';

export interface ChainResult {
  subject: Record<string, string>;
  policy: { name: string; digest: string };
  passed: boolean;
  decision: ChainDecision;
  evaluatedAt: string;
  gates: GateResult[];
  source: { via: 'provenance' | 'subject'; subjects: Record<string, string>[] };
  breakGlass?: { id: string; reason: string; ticket?: string; expires: string };
  warnings: string[];
  /** Earliest time any exception, waiver or break-glass used here expires: a cache must not outlive it. */
  validUntil?: string;
}
