import { textTable } from '../sast/report.ts';
import type { LicenseResult } from './types.ts';

export const LICENSE_FORMATS = ['table', 'json'] as const;
export type LicenseFormat = (typeof LICENSE_FORMATS)[number];

export function renderLicenses(format: LicenseFormat, results: readonly LicenseResult[]): string {
  if (format === 'json') return `${JSON.stringify(results, null, 2)}\n`;
  const rows = results.map((result) => [
    result.verdict + (result.exception ? '*' : ''),
    `${result.component.name}@${result.component.version}`,
    result.license ?? '(none)',
    result.reason +
      (result.expiredExceptions
        ? ` [expired exception: ${result.expiredExceptions.map((e) => e.expires).join(', ')}]`
        : ''),
  ]);
  const count = (verdict: string) => results.filter((result) => result.verdict === verdict).length;
  const summary = `${results.length} components: ${count('allow')} allowed, ${count('review')} to review, ${count('deny')} denied (* = by exception)\n`;
  return rows.length > 0
    ? textTable(['VERDICT', 'PACKAGE', 'LICENSE', 'REASON'], rows, 100) + summary
    : summary;
}
