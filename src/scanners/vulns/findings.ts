import type { Finding } from '../../model/finding.ts';
import { stableFingerprint } from '../sarif/fingerprint.ts';
import type { VulnMatch } from './match/advisory-index.ts';

export const SCANNER_NAME = 'gatechain-vulns';

/** A match as a generic Finding (for SARIF and the shared finding pipeline). */
export function matchToFinding(match: VulnMatch, toolVersion: string): Finding {
  const { component, advisory } = match;
  const fix = match.fixedIn ? `; fixed in ${match.fixedIn}` : '; no fix available';
  return {
    kind: 'vulnerability',
    ruleId: advisory.id,
    severity: match.severity.rating,
    message: `${component.name}@${component.version} is affected by ${advisory.id}${advisory.summary ? `: ${advisory.summary}` : ''}${fix}`,
    fingerprint: stableFingerprint([SCANNER_NAME, advisory.id, component.purl]),
    location: {
      file: component.location.file,
      ...(component.location.line !== undefined ? { line: component.location.line } : {}),
    },
    tool: { name: SCANNER_NAME, version: toolVersion },
    properties: {
      purl: component.purl,
      installedVersion: component.version,
      ...(match.fixedIn ? { fixedVersion: match.fixedIn } : {}),
      aliases: advisory.aliases,
      ...(match.severity.score !== undefined
        ? { cvssScore: match.severity.score, cvssMethod: match.severity.method }
        : {}),
    },
  };
}
