import type { DecidedFinding } from '../../gates/deps.ts';
import { severityRank } from '../../model/severity.ts';

/** Pads cells to column widths; the last column is left ragged. */
function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  '),
    )
    .join('\n');
}

const DECISION_ORDER = { block: 0, allow: 1, excepted: 2, ignored: 3 } as const;

/** The findings as a readable table: id, package, installed, fixed, severity, decision. */
export function renderFindingsTable(findings: DecidedFinding[]): string {
  if (findings.length === 0) return 'no known vulnerabilities\n';
  const sorted = [...findings].sort(
    (a, b) =>
      DECISION_ORDER[a.decision] - DECISION_ORDER[b.decision] ||
      severityRank(b.match.severity.rating) - severityRank(a.match.severity.rating) ||
      a.match.advisory.id.localeCompare(b.match.advisory.id) ||
      a.match.component.name.localeCompare(b.match.component.name),
  );
  const rows = [['ID', 'PACKAGE', 'INSTALLED', 'FIXED', 'SEVERITY', 'DECISION']];
  for (const finding of sorted) {
    const { match } = finding;
    const severity =
      match.severity.score !== undefined
        ? `${match.severity.rating} ${match.severity.score.toFixed(1)}`
        : match.severity.rating;
    rows.push([
      match.advisory.id,
      `${match.component.ecosystem}:${match.component.name}`,
      match.component.version,
      match.fixedIn ?? '-',
      `${severity}${match.severity.fromAlias ? ` (via ${match.severity.fromAlias})` : ''}`,
      finding.decision,
    ]);
  }
  return `${table(rows)}\n`;
}
