import type { Finding } from '../../model/finding.ts';
import { InputError, parseJson } from '../../util/errors.ts';
import { gitleaksFingerprint, secretFingerprint } from './findings.ts';
import { redactMatch, redactSecret, secretDigest } from './redact.ts';

export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Imports a gitleaks JSON report (an array of findings). Secret and Match are redacted on the
 * way in: only the digest, a short preview and the match with the secret masked are kept.
 */
export function importGitleaksReport(text: string, file?: string): Finding[] {
  if (text.length > MAX_REPORT_BYTES) {
    throw new InputError('SECRETS_REPORT_TOO_LARGE', `report larger than ${MAX_REPORT_BYTES} bytes`, {
      file,
    });
  }
  const document = parseJson(text, file);
  if (!Array.isArray(document)) {
    throw new InputError('SECRETS_REPORT_INVALID', 'a gitleaks report is a JSON array of findings', { file });
  }
  return document.map((entry, index): Finding => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new InputError('SECRETS_REPORT_INVALID', `finding #${index + 1} is not an object`, { file });
    }
    const record = entry as Record<string, unknown>;
    const ruleId = str(record['RuleID']);
    const path = str(record['File']);
    if (!ruleId || path === undefined) {
      throw new InputError('SECRETS_REPORT_INVALID', `finding #${index + 1} lacks RuleID or File`, { file });
    }
    const secret = str(record['Secret']) ?? '';
    const match = str(record['Match']) ?? '';
    const digest = secretDigest(secret);
    const line = num(record['StartLine']);
    const commit = str(record['Commit']) || undefined;
    const location: Finding['location'] = { file: path };
    if (line !== undefined) location.line = line;
    const column = num(record['StartColumn']);
    if (column !== undefined) location.column = column;
    const endLine = num(record['EndLine']);
    if (endLine !== undefined) location.endLine = endLine;
    const endColumn = num(record['EndColumn']);
    if (endColumn !== undefined) location.endColumn = endColumn;
    if (commit) location.commit = commit;
    const author = str(record['Author']);
    if (author) location.author = author;
    const date = str(record['Date']);
    if (date) location.date = date;
    const description = str(record['Description']) ?? ruleId;
    const redacted = redactSecret(secret);
    return {
      kind: 'secret',
      ruleId,
      severity: 'high',
      message: secret ? `${description}: ${redacted}` : description,
      fingerprint: secretFingerprint(ruleId, path, digest),
      location,
      tool: { name: 'gitleaks' },
      properties: {
        secretSha256: digest,
        secretRedacted: redacted,
        match: redactMatch(match, secret),
        ...(num(record['Entropy']) !== undefined ? { entropy: num(record['Entropy']) } : {}),
        tags: Array.isArray(record['Tags']) ? record['Tags'].filter((t) => typeof t === 'string') : [],
        gitleaksFingerprint:
          str(record['Fingerprint']) ?? gitleaksFingerprint(ruleId, path, line ?? 0, commit ?? undefined),
      },
    };
  });
}
