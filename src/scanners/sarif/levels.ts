import { ratingFromScore, type Severity } from '../../model/severity.ts';

/** SARIF result levels (SARIF 2.1.0 §3.27.10). */
export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

/**
 * Severity → SARIF level. SARIF has no "critical": critical and high both map to `error`, and the
 * finer grade travels in `properties.security-severity`.
 */
export function levelFromSeverity(severity: Severity): SarifLevel {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
    case 'unknown':
      return 'warning';
    case 'low':
      return 'note';
    case 'info':
      return 'none';
  }
}

/** SARIF level → severity, used only when a rule carries no `security-severity` score. */
export function severityFromLevel(level: string | undefined): Severity {
  switch (level) {
    case 'error':
      return 'high';
    case 'warning':
      return 'medium';
    case 'note':
      return 'low';
    case 'none':
      return 'info';
    default:
      // SARIF's default level is "warning" (§3.27.10) when neither result nor rule sets one.
      return 'medium';
  }
}

/**
 * Representative CVSS-like score per severity, inside the band GitHub code scanning uses to
 * grade `security-severity` (≥9 critical, ≥7 high, ≥4 medium, >0 low).
 */
const SCORE: Readonly<Record<Severity, number | undefined>> = {
  critical: 9.5,
  high: 8.0,
  medium: 5.5,
  low: 2.0,
  info: undefined,
  unknown: undefined,
};

export function securityScoreFromSeverity(severity: Severity): number | undefined {
  return SCORE[severity];
}

/** CVSS-like number → severity; `undefined` when the value is not a finite number in 0..10. */
export function severityFromSecurityScore(value: unknown): Severity | undefined {
  const score =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  if (!Number.isFinite(score) || score < 0 || score > 10) return undefined;
  return ratingFromScore(score);
}
