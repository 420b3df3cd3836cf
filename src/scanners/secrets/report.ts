import type { Finding } from '../../model/finding.ts';
import { toSarif } from '../sarif/index.ts';
import { TOOL } from './findings.ts';
import type { ScanSecretsResult } from './scan.ts';
import type { RuleSet } from './types.ts';

export type ReportFormat = 'table' | 'json' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'sarif'];

/** gatechain's JSON report: also what `--baseline` reads back. Holds digests and previews only. */
export function jsonReport(result: ScanSecretsResult, ruleSet?: RuleSet): object {
  return {
    tool: { ...TOOL },
    ruleSetDigest: { sha256: result.ruleSetDigest },
    ...(ruleSet ? { ruleSetOrigin: ruleSet.origin } : {}),
    stats: result.stats,
    findings: result.findings,
  };
}

export function sarifReport(result: ScanSecretsResult, ruleSet?: RuleSet): object {
  const rules = ruleSet?.rules.map((rule) => ({
    id: rule.id,
    description: rule.description,
    severity: rule.severity,
  }));
  return toSarif(result.findings, { name: TOOL.name, version: TOOL.version, ...(rules ? { rules } : {}) });
}

function status(finding: Finding): string {
  const kinds = (finding.suppressions ?? []).map((s) => s.kind);
  return kinds.length === 0 ? 'NEW' : `suppressed (${[...new Set(kinds)].join(', ')})`;
}

function where(finding: Finding): string {
  const loc = finding.location;
  if (!loc) return '';
  const commit = loc.commit ? ` @${loc.commit.slice(0, 10)}` : '';
  return `${loc.file}${loc.line !== undefined ? `:${loc.line}` : ''}${commit}`;
}

/** A plain-text table for terminals; the secret column shows the redacted preview only. */
export function tableReport(result: ScanSecretsResult): string {
  const header = ['SEVERITY', 'RULE', 'LOCATION', 'SECRET', 'STATUS'];
  const rows = result.findings.map((finding) => [
    finding.severity,
    finding.ruleId,
    where(finding),
    String(finding.properties?.['secretRedacted'] ?? ''),
    status(finding),
  ]);
  const widths = header.map((title, i) =>
    Math.min(60, Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const blocking = result.findings.filter((f) => !f.suppressions || f.suppressions.length === 0).length;
  const s = result.stats;
  const summary =
    `${result.findings.length} finding(s), ${blocking} not suppressed; ` +
    `${s.files} file(s)${s.commits !== undefined ? `, ${s.commits} commit(s)` : ''}, ${s.bytes} bytes in ${s.durationMs} ms; ` +
    `rules sha256:${result.ruleSetDigest.slice(0, 16)}`;
  if (rows.length === 0) return `${summary}\n`;
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${summary}\n`;
}

export function renderReport(format: ReportFormat, result: ScanSecretsResult, ruleSet?: RuleSet): string {
  if (format === 'table') return tableReport(result);
  const document = format === 'json' ? jsonReport(result, ruleSet) : sarifReport(result, ruleSet);
  return `${JSON.stringify(document, null, 2)}\n`;
}
