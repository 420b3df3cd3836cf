/** One severity scale for every finding kind, ordered from most to least severe. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for comparisons: higher is more severe; `unknown` ranks lowest. */
export function severityRank(severity: Severity): number {
  return { critical: 5, high: 4, medium: 3, low: 2, info: 1, unknown: 0 }[severity];
}

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export function parseSeverity(text: string): Severity | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === 'moderate') return 'medium';
  if (lower === 'note' || lower === 'informational' || lower === 'none') return 'info';
  return (SEVERITIES as readonly string[]).includes(lower) ? (lower as Severity) : undefined;
}

/** CVSS v3.x / v4.0 qualitative rating: 0 none (info), 0.1–3.9 low, 4–6.9 medium, 7–8.9 high, 9–10 critical. */
export function ratingFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}
