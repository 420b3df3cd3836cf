import type { DigestSet } from '../digest.ts';
import type { Severity } from '../severity.ts';
import type { ResourceDescriptor } from '../statement.ts';

/** Gate 1: which code scanners ran with which rules, what they found, and the gate's decision. */
export interface CodeScanPredicate {
  tools: { name: string; version: string }[];
  ruleSetDigest: DigestSet;
  counts: {
    byRule: Record<string, number>;
    bySeverity: Partial<Record<Severity, number>> & Record<'critical' | 'high' | 'medium' | 'low', number>;
  };
  /** Digest of the full findings report (e.g. SARIF) kept beside the attestation. */
  findingsDigest: DigestSet;
  decision: 'pass' | 'fail';
  policyDigest: DigestSet;
  scanStartedOn?: string;
  scanFinishedOn?: string;
}

/** A signed, expiring acceptance of named vulnerabilities, tied to a ticket. */
export interface VulnExceptionPredicate {
  ticket: string;
  /** Vulnerability IDs: CVE-…, GHSA-…, GO-…, PYSEC-…, OSV ids. */
  vulnerabilities: string[];
  /** RFC 3339 instant after which the exception no longer applies. */
  expires: string;
  reason: string;
  scope?: { purls?: string[]; subject?: ResourceDescriptor };
  approver?: string;
}

/** Fail-open record for a scanner outage. */
export interface ScanSkipPredicate {
  scanner: string;
  reason: string;
  /** RFC 3339 instant by which the skipped scan must have run. */
  deadline: string;
  /** The page or alert raised: incident id or URL. */
  page: string;
  /** The predicate type this skip stands in for; absent = any skippable requirement. */
  predicateType?: string;
  /** The gate this skip belongs to; absent = any gate. */
  gate?: number;
}

/** Emergency override signed by a break-glass key. */
export interface BreakGlassPredicate {
  reason: string;
  ticket: string;
  /** Validity from signing; BREAK_GLASS_DEFAULT_TTL_SECONDS when absent. */
  ttlSeconds?: number;
  incident: string;
  issuedAt?: string;
}

export const BREAK_GLASS_DEFAULT_TTL_SECONDS = 7200;
