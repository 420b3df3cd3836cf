import { PredicateType } from '../../../model/predicate-types.ts';
import { type ResourceDescriptor, STATEMENT_TYPE_V1, type Statement } from '../../../model/statement.ts';
import type { VulnMatch } from '../match/advisory-index.ts';

/** Who scanned and against which data: recorded in every vuln-scan predicate. */
export interface ScannerInfo {
  uri: string;
  version: string;
  db: {
    uri: string;
    version: string;
    /** Snapshot time of the advisory data: the newest `modified` it holds. */
    lastUpdate?: string;
  };
}

export interface VulnScanPredicate {
  scanner: ScannerInfo & {
    result: Array<{
      id: string;
      severity: Array<{ method: string; score: string }>;
      annotations: Array<Record<string, unknown>>;
    }>;
  };
  metadata: { scanStartedOn: string; scanFinishedOn: string };
}

/** The subject must be named by digest; an empty list would make a claim about nothing. */
function checkSubject(subject: ResourceDescriptor[]): ResourceDescriptor[] {
  if (subject.length === 0) throw new TypeError('an attestation needs at least one subject');
  return subject;
}

/** in-toto Statement with a CycloneDX document as predicate (`https://cyclonedx.org/bom`). */
export function sbomStatement(subject: ResourceDescriptor[], cyclonedx: object): Statement<object> {
  return {
    _type: STATEMENT_TYPE_V1,
    subject: checkSubject(subject),
    predicateType: PredicateType.cyclonedx,
    predicate: cyclonedx,
  };
}

/**
 * in-toto Statement with a vulns v0.2 predicate: one result per (advisory, package) match, its
 * severity as [method, score] pairs (the CVSS score, and the rating gatechain assigned), and
 * annotations naming the package (purl), the installed and fixed versions, and aliases.
 * Results are sorted so the same scan yields the same bytes.
 */
export function vulnScanStatement(
  subject: ResourceDescriptor[],
  scanner: ScannerInfo,
  matches: VulnMatch[],
  times: { startedOn: Date; finishedOn: Date },
  decisions?: ReadonlyMap<VulnMatch, string>,
): Statement<VulnScanPredicate> {
  const result = [...matches]
    .sort((a, b) =>
      a.advisory.id === b.advisory.id
        ? a.component.purl < b.component.purl
          ? -1
          : 1
        : a.advisory.id < b.advisory.id
          ? -1
          : 1,
    )
    .map((match) => {
      const severity: Array<{ method: string; score: string }> = [];
      if (match.severity.score !== undefined && match.severity.method) {
        severity.push({ method: match.severity.method, score: match.severity.score.toFixed(1) });
      }
      severity.push({ method: 'gatechain-rating', score: match.severity.rating });
      // Readers treat any annotation whose key mentions "fix" as "a fix exists", so the fixed
      // version is recorded only when there is one.
      const annotations: Array<Record<string, unknown>> = [
        { purl: match.component.purl },
        { installedVersion: match.component.version },
      ];
      if (match.fixedIn !== undefined) annotations.push({ fixedVersion: match.fixedIn });
      if (match.advisory.aliases.length > 0) annotations.push({ aliases: [...match.advisory.aliases] });
      if (match.severity.fromAlias) annotations.push({ severitySource: match.severity.fromAlias });
      const decision = decisions?.get(match);
      if (decision) annotations.push({ gateDecision: decision });
      return { id: match.advisory.id, severity, annotations };
    });
  return {
    _type: STATEMENT_TYPE_V1,
    subject: checkSubject(subject),
    predicateType: PredicateType.vulns,
    predicate: {
      scanner: { ...scanner, result },
      metadata: {
        scanStartedOn: times.startedOn.toISOString(),
        scanFinishedOn: times.finishedOn.toISOString(),
      },
    },
  };
}
