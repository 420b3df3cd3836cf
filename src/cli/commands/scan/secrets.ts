import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  loadRuleSet,
  REPORT_FORMATS,
  type ReportFormat,
  renderReport,
  type ScanMode,
  scanSecrets,
  unsuppressed,
} from '../../../scanners/secrets/index.ts';
import { ExitCode, reportError, usageError } from '../../context.ts';

interface SecretsOptions {
  git?: boolean;
  staged?: boolean;
  range?: string;
  config?: string;
  baseline?: string;
  ignoreFile?: string;
  format: string;
  reportPath?: string;
  maxFileBytes?: string;
}

/** `gatechain scan secrets [path]`: exit 0 clean, 1 when unsuppressed findings exist, 2 on bad input. */
export function register(group: Command): void {
  group
    .command('secrets')
    .description(
      'Find leaked secrets in a directory tree, the git history (--git) or staged changes (--staged)',
    )
    .argument('[path]', 'directory, file or repository to scan', '.')
    .option('--git', 'scan the added lines of every commit in the repository history')
    .option('--staged', 'scan the staged changes (for a pre-commit hook)')
    .option(
      '--range <revisions>',
      'with --git: only this revision range (e.g. origin/main..HEAD) instead of all refs',
    )
    .option('--config <file>', 'gitleaks-format TOML rule configuration (default: built-in rules)')
    .option('--baseline <report>', 'earlier JSON report (gatechain or gitleaks); its findings do not block')
    .option(
      '--ignore-file <file>',
      'fingerprint ignore file (default: .gatechainignore-secrets, .gitleaksignore)',
    )
    .option('--format <format>', `output format: ${REPORT_FORMATS.join(', ')}`, 'table')
    .option('--report-path <file>', 'write the report to a file instead of standard output')
    .option('--max-file-bytes <n>', 'skip files larger than this in tree mode (default 5 MiB)')
    .action(async (path: string, options: SecretsOptions) => {
      const json = options.format === 'json';
      try {
        if (options.git && options.staged) throw usageError('--git and --staged cannot be combined');
        if (!REPORT_FORMATS.includes(options.format as ReportFormat)) {
          throw usageError(`unknown --format ${options.format}; use ${REPORT_FORMATS.join(', ')}`);
        }
        let maxFileBytes: number | undefined;
        if (options.maxFileBytes !== undefined) {
          maxFileBytes = Number(options.maxFileBytes);
          if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes <= 0) {
            throw usageError('--max-file-bytes must be a positive integer');
          }
        }
        if (options.range && !options.git) throw usageError('--range needs --git');
        const mode: ScanMode = options.git ? 'git' : options.staged ? 'staged' : 'tree';
        const ruleSet = loadRuleSet(options.config ? { configPath: options.config } : {});
        const result = await scanSecrets({
          root: path,
          mode,
          ruleSet,
          ...(options.range ? { range: options.range } : {}),
          ...(options.baseline ? { baseline: options.baseline } : {}),
          ...(options.ignoreFile ? { ignoreFile: options.ignoreFile } : {}),
          ...(maxFileBytes ? { maxFileBytes } : {}),
        });
        const text = renderReport(options.format as ReportFormat, result, ruleSet);
        if (options.reportPath) writeFileSync(options.reportPath, text);
        else process.stdout.write(text);
        process.exitCode = unsuppressed(result.findings).length > 0 ? ExitCode.policyFailure : ExitCode.ok;
      } catch (error) {
        reportError(error, json);
      }
    });
}
