import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Finding } from '../../model/finding.ts';
import { InputError } from '../../util/errors.ts';
import { importSarif, MAX_SARIF_BYTES } from '../sarif/index.ts';
import { DEFAULT_MAX_FILE_BYTES, listSourceFiles } from './files.ts';
import { BUILTIN_RULES } from './rules/index.ts';
import { SAST_ENGINE_VERSION, SAST_TOOL_NAME, scanSource } from './scan-file.ts';
import type { SastRule } from './types.ts';

export interface SastOptions {
  root: string;
  /** SARIF 2.1.0 files from other tools (Semgrep, CodeQL, ESLint...) to merge in. */
  sarifFiles?: string[];
  /** Files larger than this are skipped and listed in stats.skipped. */
  maxFileBytes?: number;
  rules?: readonly SastRule[];
}

export interface SastResult {
  findings: Finding[];
  tools: { name: string; version: string }[];
  /** sha256 over the engine version and every rule's id, severity, CWE and description. */
  rulesetDigest: string;
  stats: {
    files: number;
    lines: number;
    bytes: number;
    skipped: { file: string; reason: string }[];
    parseErrors: number;
  };
}

export function rulesetDigest(rules: readonly SastRule[]): string {
  const description = {
    engine: `${SAST_TOOL_NAME}@${SAST_ENGINE_VERSION}`,
    rules: [...rules]
      .map((rule) => ({ id: rule.id, severity: rule.severity, cwe: rule.cwe, description: rule.description }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  return `sha256:${createHash('sha256').update(JSON.stringify(description)).digest('hex')}`;
}

export async function scanSast(options: SastOptions): Promise<SastResult> {
  const rules = options.rules ?? BUILTIN_RULES;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const rootInfo = await stat(options.root).catch(() => undefined);
  if (!rootInfo?.isDirectory()) {
    throw new InputError('NOT_A_DIRECTORY', `${options.root} is not a directory to scan`, {
      file: options.root,
    });
  }
  const listing = await listSourceFiles(options.root);
  const findings: Finding[] = [];
  const skipped = [...listing.skipped];
  let lines = 0;
  let bytes = 0;
  let files = 0;
  for (const file of listing.files) {
    const absolute = join(options.root, file);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      skipped.push({ file, reason: 'vanished while scanning' });
      continue;
    }
    if (info.size > maxBytes) {
      skipped.push({ file, reason: `larger than ${maxBytes} bytes` });
      continue;
    }
    const text = await readFile(absolute, 'utf8').catch((error: unknown) => {
      skipped.push({ file, reason: `unreadable: ${(error as NodeJS.ErrnoException).code ?? 'error'}` });
      return undefined;
    });
    if (text === undefined) continue;
    files++;
    bytes += info.size;
    lines += countLines(text);
    findings.push(...scanSource(text, file, rules));
  }
  const tools = [{ name: SAST_TOOL_NAME, version: SAST_ENGINE_VERSION }];
  for (const sarifFile of options.sarifFiles ?? []) {
    const info = await stat(sarifFile).catch((error: unknown) => {
      throw new InputError('SARIF_UNREADABLE', `cannot read SARIF file: ${(error as Error).message}`, {
        file: sarifFile,
      });
    });
    if (info.size > MAX_SARIF_BYTES) {
      throw new InputError('SARIF_TOO_LARGE', `SARIF file is larger than ${MAX_SARIF_BYTES} bytes`, {
        file: sarifFile,
      });
    }
    const imported = importSarif(
      await readFile(sarifFile, 'utf8'),
      relative(process.cwd(), sarifFile) || sarifFile,
    );
    for (const finding of imported) {
      const version = finding.tool.version ?? 'unknown';
      if (!tools.some((tool) => tool.name === finding.tool.name && tool.version === version)) {
        tools.push({ name: finding.tool.name, version });
      }
    }
    findings.push(...imported);
  }
  const parseErrors = findings.filter((finding) => finding.properties?.['parseError'] === true).length;
  return {
    findings,
    tools,
    rulesetDigest: rulesetDigest(rules),
    stats: { files, lines, bytes, skipped, parseErrors },
  };
}

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
