import { parseSeverity, ratingFromScore, type Severity, severityRank } from '../../../model/severity.ts';
import { isGatechainError } from '../../../util/errors.ts';
import type { OsvAffected, OsvRecord, OsvSeverity } from '../osv/record.ts';
import { cvss2BaseScore, ratingFromV2Score } from './cvss2.ts';
import { cvss3BaseScore } from './cvss3.ts';
import { cvss4Score } from './cvss4.ts';

/** The severity gatechain assigns a finding, with where it came from. */
export interface ResolvedSeverity {
  rating: Severity;
  /** CVSS score when one was computed. */
  score?: number;
  /** `CVSSv3.0`, `CVSSv3.1`, `CVSSv4.0`, or `database_specific` for a rating word. */
  method?: string;
  vector?: string;
  /** The advisory whose data gave the severity, when it was taken from an alias. */
  fromAlias?: string;
}

export const UNKNOWN_SEVERITY: ResolvedSeverity = { rating: 'unknown' };

function scoreEntry(entry: OsvSeverity): ResolvedSeverity | undefined {
  try {
    if (entry.type === 'CVSS_V4') {
      const score = cvss4Score(entry.score);
      return { rating: ratingFromScore(score), score, method: 'CVSSv4.0', vector: entry.score };
    }
    if (entry.type === 'CVSS_V3') {
      const result = cvss3BaseScore(entry.score);
      return {
        rating: ratingFromScore(result.score),
        score: result.score,
        method: `CVSSv${result.version}`,
        vector: entry.score,
      };
    }
    if (entry.type === 'CVSS_V2') {
      const score = cvss2BaseScore(entry.score);
      return { rating: ratingFromV2Score(score), score, method: 'CVSSv2', vector: entry.score };
    }
    if (entry.type === 'Ubuntu') {
      const rating = parseSeverity(entry.score);
      return rating ? { rating, method: 'Ubuntu' } : undefined;
    }
  } catch (error) {
    // A malformed vector in one record must not sink the scan: that entry just gives no score.
    if (!isGatechainError(error)) throw error;
  }
  return undefined;
}

function higher(
  a: ResolvedSeverity | undefined,
  b: ResolvedSeverity | undefined,
): ResolvedSeverity | undefined {
  if (!a) return b;
  if (!b) return a;
  const byRating = severityRank(b.rating) - severityRank(a.rating);
  if (byRating !== 0) return byRating > 0 ? b : a;
  return (b.score ?? -1) > (a.score ?? -1) ? b : a;
}

/**
 * The record's own severity for one affected package: the highest CVSS (v4.0, v3.x or v2) of the
 * package-level `severity`, else of the record-level one; failing that, GHSA's
 * `database_specific.severity` word (LOW, MODERATE, HIGH, CRITICAL).
 */
export function ownSeverity(record: OsvRecord, affected?: OsvAffected): ResolvedSeverity | undefined {
  const entries =
    affected?.severity && affected.severity.length > 0 ? affected.severity : (record.severity ?? []);
  let best: ResolvedSeverity | undefined;
  for (const entry of entries) best = higher(best, scoreEntry(entry));
  if (best) return best;
  const word = (affected?.database_specific?.['severity'] ??
    record.database_specific?.['severity']) as unknown;
  if (typeof word === 'string') {
    const rating = parseSeverity(word);
    if (rating) return { rating, method: 'database_specific' };
  }
  return undefined;
}

/**
 * Severity with the alias fallback: when the record has none (every Go record), the highest
 * severity among the records it is aliased with (by id or by a shared alias) is taken.
 */
export function resolveSeverity(
  record: OsvRecord,
  affected: OsvAffected | undefined,
  aliasRecords: Iterable<OsvRecord>,
): ResolvedSeverity {
  const own = ownSeverity(record, affected);
  if (own) return own;
  let best: ResolvedSeverity | undefined;
  for (const other of aliasRecords) {
    if (other.id === record.id) continue;
    const found = ownSeverity(other);
    if (found) best = higher(best, { ...found, fromAlias: other.id });
  }
  return best ?? UNKNOWN_SEVERITY;
}
