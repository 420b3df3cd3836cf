import type { Suppression } from '../model/finding.ts';
import { isAtLeast, type Severity } from '../model/severity.ts';
import type { VulnMatch } from '../scanners/vulns/match/advisory-index.ts';
import type { IgnoreEntry } from './deps/ignore-file.ts';

/**
 * Gate 2's decision over vulnerability matches. Pure: matches, policy, accepted risks and the
 * clock in; a verdict with a reason per finding out.
 *
 * Invariants: a finding blocks only when its severity is at or above `failOn` and, when
 * `requireFix` is set, a fixed version exists; an ignore entry or exception suppresses only
 * until its expiry, after which the finding is judged as if it were absent (and the lapse is
 * reported); an unknown severity never meets a threshold.
 */
export interface DepsGatePolicy {
  failOn: Severity;
  requireFix: boolean;
  /** Audit reports what would block but passes; enforce blocks. */
  mode: 'enforce' | 'audit';
}

export const DEFAULT_DEPS_POLICY: DepsGatePolicy = { failOn: 'critical', requireFix: true, mode: 'enforce' };

/** A vuln-exception attestation that has already been verified (signature, signer, subject). */
export interface VerifiedVulnException {
  /** Content address of the bundle, for the report. */
  attestationId?: string;
  signer?: string;
  ticket: string;
  /** Advisory ids or aliases the exception covers. */
  vulnerabilities: string[];
  expires: string;
  /** The predicate's `scope.purls`: when present, only these packages are covered. */
  purls?: string[];
}

export type FindingDecision = 'block' | 'allow' | 'ignored' | 'excepted';

export interface DecidedFinding {
  match: VulnMatch;
  decision: FindingDecision;
  reason: string;
  suppression?: Suppression;
}

export interface DepsGateResult {
  verdict: 'pass' | 'block';
  /** Findings that would block in enforce mode (equal to `blocking` then). */
  wouldBlock: number;
  findings: DecidedFinding[];
  /** Ignore entries past their expiry (they suppress nothing and must be renewed or removed). */
  expiredIgnores: IgnoreEntry[];
  expiredExceptions: VerifiedVulnException[];
  counts: Record<FindingDecision, number>;
}

function identifiersOf(match: VulnMatch): Set<string> {
  return new Set([match.advisory.id, ...match.advisory.aliases]);
}

/** A purl without "@version" covers every version of that package. */
function purlCovers(entryPurl: string, componentPurl: string): boolean {
  if (entryPurl === componentPurl) return true;
  if (entryPurl.includes('@')) return false;
  const withoutQualifiers = componentPurl.split(/[?#]/)[0] as string;
  const at = withoutQualifiers.lastIndexOf('@');
  return (at === -1 ? withoutQualifiers : withoutQualifiers.slice(0, at)) === entryPurl;
}

function ignoreApplies(entry: IgnoreEntry, match: VulnMatch, ids: Set<string>): boolean {
  if (!ids.has(entry.id)) return false;
  if (entry.purl !== undefined && !purlCovers(entry.purl, match.component.purl)) return false;
  if (entry.package !== undefined && entry.package !== match.component.name) return false;
  return true;
}

export function decideDeps(
  matches: VulnMatch[],
  options: {
    policy?: Partial<DepsGatePolicy>;
    ignores?: IgnoreEntry[];
    exceptions?: VerifiedVulnException[];
    now: Date;
  },
): DepsGateResult {
  const policy: DepsGatePolicy = { ...DEFAULT_DEPS_POLICY, ...options.policy };
  const now = options.now.getTime();
  const ignores = options.ignores ?? [];
  const exceptions = options.exceptions ?? [];
  const expiredIgnores = ignores.filter((entry) => entry.expiresAtMs <= now);
  const expiredExceptions = exceptions.filter((exception) => !(Date.parse(exception.expires) > now));
  const counts: Record<FindingDecision, number> = { block: 0, allow: 0, ignored: 0, excepted: 0 };
  const findings = matches.map((match): DecidedFinding => {
    const ids = identifiersOf(match);
    const notes: string[] = [];
    for (const entry of ignores) {
      if (!ignoreApplies(entry, match, ids)) continue;
      if (entry.expiresAtMs > now) {
        counts.ignored++;
        return {
          match,
          decision: 'ignored',
          reason: `ignored until ${entry.expires}: ${entry.reason}${entry.ticket ? ` (${entry.ticket})` : ''}`,
          suppression: {
            kind: 'ignore-file',
            justification: entry.reason,
            expires: entry.expires,
            ...(entry.ticket ? { ticket: entry.ticket } : {}),
          },
        };
      }
      notes.push(`ignore entry expired ${entry.expires}`);
    }
    for (const exception of exceptions) {
      if (!exception.vulnerabilities.some((id) => ids.has(id) || ids.has(id.toUpperCase()))) continue;
      if (exception.purls && !exception.purls.some((purl) => purlCovers(purl, match.component.purl)))
        continue;
      if (Date.parse(exception.expires) > now) {
        counts.excepted++;
        return {
          match,
          decision: 'excepted',
          reason: `vuln-exception ${exception.ticket} until ${exception.expires}`,
          suppression: { kind: 'exception', ticket: exception.ticket, expires: exception.expires },
        };
      }
      notes.push(`vuln-exception ${exception.ticket} expired ${exception.expires}`);
    }
    const severe = match.severity.rating !== 'unknown' && isAtLeast(match.severity.rating, policy.failOn);
    const fixable = match.fixedIn !== undefined;
    const blocks = severe && (fixable || !policy.requireFix);
    const why = blocks
      ? `${match.severity.rating} ≥ ${policy.failOn}${fixable ? `, fixed in ${match.fixedIn}` : ''}`
      : !severe
        ? `${match.severity.rating} is below ${policy.failOn}`
        : 'no fixed version yet';
    const reason = [why, ...notes].join('; ');
    counts[blocks ? 'block' : 'allow']++;
    return { match, decision: blocks ? 'block' : 'allow', reason };
  });
  const wouldBlock = counts.block;
  return {
    verdict: wouldBlock > 0 && policy.mode === 'enforce' ? 'block' : 'pass',
    wouldBlock,
    findings,
    expiredIgnores,
    expiredExceptions,
    counts,
  };
}
