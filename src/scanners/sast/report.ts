import type { Finding } from '../../model/finding.ts';
import { toSarif } from '../sarif/index.ts';
import { BUILTIN_RULES } from './rules/index.ts';
import type { SastResult } from './scan.ts';
import { SAST_ENGINE_VERSION, SAST_TOOL_NAME } from './scan-file.ts';

export const SAST_FORMATS = ['table', 'json', 'sarif'] as const;
export type SastFormat = (typeof SAST_FORMATS)[number];

/** Plain-text table: columns padded to their widest cell, cells cut at `max` characters. */
export function textTable(headers: string[], rows: string[][], max = 80): string {
  const clip = (cell: string) =>
    (cell.length > max ? `${cell.slice(0, max - 1)}…` : cell).replace(/\s+/g, ' ');
  const all = [headers, ...rows].map((row) => row.map(clip));
  const widths = headers.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return `${all
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

function suppressed(finding: Finding): boolean {
  return (finding.suppressions?.length ?? 0) > 0;
}

/** SARIF for the whole result: built-in rule descriptors first, imported findings keep their rule ids. */
export function sastSarif(result: SastResult): object {
  return toSarif(result.findings, {
    name: SAST_TOOL_NAME,
    version: SAST_ENGINE_VERSION,
    informationUri: 'https://gatechain.dev/docs/sast',
    rules: BUILTIN_RULES.map((rule) => ({
      id: rule.id,
      title: rule.title,
      description: `${rule.description} (${rule.cwe})`,
      severity: rule.severity,
      tags: ['security', `external/cwe/cwe-${rule.cwe.slice(4).padStart(3, '0')}`],
    })),
  });
}

export function renderSast(format: SastFormat, result: SastResult): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  if (format === 'sarif') return `${JSON.stringify(sastSarif(result), null, 2)}\n`;
  const rows = result.findings.map((finding) => [
    finding.severity,
    finding.ruleId,
    `${finding.location?.file ?? ''}${finding.location?.line ? `:${finding.location.line}` : ''}`,
    `${suppressed(finding) ? '[suppressed] ' : ''}${finding.message}`,
  ]);
  const active = result.findings.filter((finding) => !suppressed(finding)).length;
  const summary = `${result.stats.files} files, ${result.stats.lines} lines; ${result.findings.length} findings (${active} unsuppressed); tools: ${result.tools.map((tool) => `${tool.name}@${tool.version}`).join(', ')}\n`;
  return rows.length > 0 ? textTable(['SEVERITY', 'RULE', 'LOCATION', 'MESSAGE'], rows) + summary : summary;
}
