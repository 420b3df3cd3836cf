import { createHash } from 'node:crypto';
import type { Finding } from '../../model/finding.ts';
import type { Fragment, RawMatch, Rule } from './types.ts';

export const TOOL = { name: 'gatechain-secrets', version: '1.0.0' } as const;

/**
 * Content-free, line-independent fingerprint: rule, file and the secret's digest. It survives
 * edits that move the line, so a baseline keeps matching; it never contains the secret.
 */
export function secretFingerprint(ruleId: string, file: string, secretSha256: string): string {
  const hash = createHash('sha256').update(
    `gatechain-secret/v1\n${ruleId}\n${file}\n${secretSha256}`,
    'utf8',
  );
  return `sha256:${hash.digest('hex')}`;
}

/** gitleaks' own fingerprint form, so `.gitleaksignore` files keep working. */
export function gitleaksFingerprint(ruleId: string, file: string, line: number, commit?: string): string {
  return commit ? `${commit}:${file}:${ruleId}:${line}` : `${file}:${ruleId}:${line}`;
}

export function toFinding(raw: RawMatch, rule: Rule, fragment: Fragment): Finding {
  const location: Finding['location'] = {
    file: fragment.path,
    line: raw.line,
    column: raw.column,
    endLine: raw.endLine,
    endColumn: raw.endColumn,
  };
  if (fragment.commit) location.commit = fragment.commit;
  if (fragment.author) location.author = fragment.author;
  if (fragment.date) location.date = fragment.date;
  const finding: Finding = {
    kind: 'secret',
    ruleId: raw.ruleId,
    severity: rule.severity,
    message: raw.secretRedacted ? `${rule.description}: ${raw.secretRedacted}` : rule.description,
    fingerprint: secretFingerprint(raw.ruleId, fragment.path, raw.secretDigest),
    location,
    tool: { ...TOOL },
    properties: {
      secretSha256: raw.secretDigest,
      secretRedacted: raw.secretRedacted,
      match: raw.matchRedacted,
      entropy: raw.entropy,
      tags: rule.tags,
      gitleaksFingerprint: gitleaksFingerprint(raw.ruleId, fragment.path, raw.line, fragment.commit),
    },
  };
  if (raw.inlineAllowed) {
    finding.suppressions = [
      { kind: 'inline', justification: 'gatechain:allow / gitleaks:allow marker on the line' },
    ];
  }
  return finding;
}

/** Findings that still block: no suppression of any kind. */
export function unsuppressed(findings: Finding[]): Finding[] {
  return findings.filter((finding) => !finding.suppressions || finding.suppressions.length === 0);
}
