import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, Suppression } from '../../model/finding.ts';
import { InputError, parseJson } from '../../util/errors.ts';
import { importGitleaksReport, MAX_REPORT_BYTES } from './gitleaks-import.ts';

export const IGNORE_FILE_NAMES = ['.gatechainignore-secrets', '.gitleaksignore'] as const;
const MAX_IGNORE_BYTES = 16 * 1024 * 1024;

/**
 * Ignore-file entries, one a line, `#` comments: a gatechain fingerprint (`sha256:…`) or a
 * gitleaks fingerprint (`commit:file:rule:line` or `file:rule:line`).
 */
export function parseIgnoreFile(text: string): Set<string> {
  const entries = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    entries.add(line);
  }
  return entries;
}

function readBounded(path: string, limit: number, code: string): string {
  try {
    if (statSync(path).size > limit)
      throw new InputError(code, `${path} is larger than ${limit} bytes`, { file: path });
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(code, `cannot read ${path}`, { file: path }, { cause: error });
  }
}

/** Loads the named ignore file, or both default names found in `root` when none is named. */
export function loadIgnoreEntries(root: string, ignoreFile: string | false | undefined): Set<string> {
  if (ignoreFile === false) return new Set();
  if (ignoreFile !== undefined)
    return parseIgnoreFile(readBounded(ignoreFile, MAX_IGNORE_BYTES, 'SECRETS_IGNORE_UNREADABLE'));
  const entries = new Set<string>();
  let dir = root;
  try {
    if (statSync(root).isFile()) dir = join(root, '..');
  } catch {
    return entries;
  }
  for (const name of IGNORE_FILE_NAMES) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    for (const entry of parseIgnoreFile(readBounded(path, MAX_IGNORE_BYTES, 'SECRETS_IGNORE_UNREADABLE'))) {
      entries.add(entry);
    }
  }
  return entries;
}

/**
 * A baseline is an earlier report: gatechain's JSON (`{findings: […]}` or a bare array of
 * findings) or a gitleaks JSON report. Only fingerprints are kept.
 */
export function parseBaseline(text: string, file?: string): Set<string> {
  const document = parseJson(text, file);
  const list = Array.isArray(document)
    ? document
    : document !== null &&
        typeof document === 'object' &&
        Array.isArray((document as { findings?: unknown }).findings)
      ? ((document as { findings: unknown[] }).findings as unknown[])
      : undefined;
  if (!list) {
    throw new InputError('SECRETS_BASELINE_INVALID', 'a baseline is a gatechain or gitleaks JSON report', {
      file,
    });
  }
  const first = list[0];
  if (first !== null && typeof first === 'object' && 'RuleID' in (first as object)) {
    return new Set(importGitleaksReport(text, file).map((finding) => finding.fingerprint));
  }
  const fingerprints = new Set<string>();
  list.forEach((entry, index) => {
    const fingerprint = (entry as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fingerprint !== 'string') {
      throw new InputError('SECRETS_BASELINE_INVALID', `baseline finding #${index + 1} has no fingerprint`, {
        file,
      });
    }
    fingerprints.add(fingerprint);
  });
  return fingerprints;
}

export function loadBaseline(path: string): Set<string> {
  return parseBaseline(readBounded(path, MAX_REPORT_BYTES, 'SECRETS_BASELINE_UNREADABLE'), path);
}

/** Marks findings matched by the ignore file or the baseline; nothing is dropped, so reports stay complete. */
export function applySuppressions(
  findings: Finding[],
  ignoreEntries: Set<string>,
  baseline: Set<string>,
): void {
  for (const finding of findings) {
    const gitleaks = finding.properties?.['gitleaksFingerprint'];
    const marks: Suppression[] = [];
    if (
      ignoreEntries.has(finding.fingerprint) ||
      (typeof gitleaks === 'string' && ignoreEntries.has(gitleaks))
    ) {
      marks.push({ kind: 'ignore-file' });
    }
    if (baseline.has(finding.fingerprint)) marks.push({ kind: 'baseline' });
    if (marks.length > 0) finding.suppressions = [...(finding.suppressions ?? []), ...marks];
  }
}
