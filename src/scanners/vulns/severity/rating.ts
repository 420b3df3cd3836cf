import type { Severity } from '../../../model/severity.ts';

/** CVSS v3.x and v4.0 qualitative rating scale: 0 none, 0.1–3.9 low, 4–6.9 medium, 7–8.9 high, 9–10 critical. */
export function ratingFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}
