import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isAtLeast, parseSeverity } from '../../../model/severity.ts';
import { renderSast, SAST_FORMATS, type SastFormat, scanSast } from '../../../scanners/sast/index.ts';
import { ExitCode, reportError, usageError } from '../../context.ts';

interface SastCliOptions {
  sarif?: string[];
  format: string;
  output?: string;
  failOn: string;
  maxFileBytes?: string;
}

/** `gatechain scan sast [path]`: exit 0 clean, 1 when an unsuppressed finding reaches --fail-on, 2 on bad input. */
export function register(group: Command): void {
  group
    .command('sast')
    .description(
      'Static analysis of JavaScript/TypeScript with the built-in rules, merged with imported SARIF',
    )
    .argument('[path]', 'directory to scan', '.')
    .option('--sarif <files...>', 'SARIF 2.1.0 reports from other tools (Semgrep, CodeQL, ESLint) to merge')
    .option('--format <format>', `output format: ${SAST_FORMATS.join(', ')}`, 'table')
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option('--fail-on <severity>', 'exit 1 when an unsuppressed finding is at least this severe', 'high')
    .option('--max-file-bytes <n>', 'skip source files larger than this (default 1 MiB)')
    .action(async (path: string, options: SastCliOptions) => {
      const json = options.format === 'json';
      try {
        if (!SAST_FORMATS.includes(options.format as SastFormat)) {
          throw usageError(`unknown --format ${options.format}; use ${SAST_FORMATS.join(', ')}`);
        }
        const failOn = parseSeverity(options.failOn);
        if (!failOn) throw usageError(`unknown --fail-on severity ${options.failOn}`);
        let maxFileBytes: number | undefined;
        if (options.maxFileBytes !== undefined) {
          maxFileBytes = Number(options.maxFileBytes);
          if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes <= 0)
            throw usageError('--max-file-bytes must be a positive integer');
        }
        const result = await scanSast({
          root: path,
          ...(options.sarif ? { sarifFiles: options.sarif } : {}),
          ...(maxFileBytes ? { maxFileBytes } : {}),
        });
        const text = renderSast(options.format as SastFormat, result);
        if (options.output) writeFileSync(options.output, text);
        else process.stdout.write(text);
        const failing = result.findings.some(
          (finding) => (finding.suppressions?.length ?? 0) === 0 && isAtLeast(finding.severity, failOn),
        );
        process.exitCode = failing ? ExitCode.policyFailure : ExitCode.ok;
      } catch (error) {
        reportError(error, json);
      }
    });
}
