import type { Finding } from '../../model/finding.ts';
import { stableFingerprint } from '../sarif/fingerprint.ts';
import type { LicenseResult } from './types.ts';

export const LICENSE_TOOL = { name: 'gatechain-licenses', version: '1.0.0' };

/**
 * Non-allowed results as findings (deny → high, review → medium; ruleId license/deny or
 * license/review), plus one low finding per expired exception so it is seen and renewed or removed.
 */
export function licenseFindings(results: readonly LicenseResult[]): Finding[] {
  const findings: Finding[] = [];
  for (const result of results) {
    const where = { file: `${result.component.name}@${result.component.version}` };
    if (result.verdict !== 'allow') {
      findings.push({
        kind: 'license',
        ruleId: `license/${result.verdict}`,
        severity: result.verdict === 'deny' ? 'high' : 'medium',
        message: `${result.component.name}@${result.component.version} (${result.license ?? 'no license'}): ${result.reason}`,
        fingerprint: stableFingerprint([
          'license',
          result.component.purl,
          result.license ?? '',
          result.verdict,
        ]),
        location: where,
        tool: LICENSE_TOOL,
        properties: { purl: result.component.purl, category: result.category, license: result.license },
      });
    }
    for (const expired of result.expiredExceptions ?? []) {
      findings.push({
        kind: 'license',
        ruleId: 'license/exception-expired',
        severity: 'low',
        message: `exception for ${expired.package} expired on ${expired.expires}${expired.ticket ? ` (${expired.ticket})` : ''}`,
        fingerprint: stableFingerprint([
          'license-exception',
          result.component.purl,
          expired.package,
          expired.expires,
        ]),
        location: where,
        tool: LICENSE_TOOL,
        properties: {
          purl: result.component.purl,
          ...(expired.line !== undefined ? { policyLine: expired.line } : {}),
        },
      });
    }
  }
  return findings;
}
