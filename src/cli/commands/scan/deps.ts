import type { Command } from 'commander';
import type { DepsRun, DepsRunOptions } from '../../../gates/deps/run.ts';
import { parseSeverity, type Severity } from '../../../model/severity.ts';
import { gatechainVersion } from '../../../util/version.ts';
import { ExitCode, printJson, reportError, resolveStoreDir, usageError } from '../../context.ts';

/** Options shared by `scan deps` and `gate deps` (the gate command reuses these helpers). */
export interface DepsCommandOptions {
  db?: string;
  store?: string;
  failOn: string;
  blockUnfixed?: boolean;
  audit?: boolean;
  ignoreFile?: string;
  includeDev?: boolean;
  json?: boolean;
}

export function addDepsOptions(command: Command): Command {
  return command
    .argument('[path]', 'source tree to scan', '.')
    .option(
      '--db <storeDir>',
      'store directory holding osv.db (default: --store, GATECHAIN_STORE or ./.gatechain)',
    )
    .option('--store <dir>', 'store directory')
    .option(
      '--fail-on <severity>',
      'block findings at or above this severity: critical, high, medium, low',
      'critical',
    )
    .option('--block-unfixed', 'block qualifying findings even when no fixed version exists')
    .option('--audit', 'report what would block but exit 0')
    .option(
      '--ignore-file <file>',
      'vulnerability ignore file (default: .gatechain/vuln-ignore.yaml under the path)',
    )
    .option('--include-dev', 'include development dependencies')
    .option('--json', 'print the result as JSON');
}

function severityOption(text: string): Severity {
  const severity = parseSeverity(text);
  if (!severity || severity === 'unknown') {
    throw usageError(`--fail-on must be critical, high, medium, low or info, not "${text}"`);
  }
  return severity;
}

export async function runOptions(options: DepsCommandOptions): Promise<DepsRunOptions> {
  return {
    storeDir: options.db ?? (await resolveStoreDir(options.store)),
    failOn: severityOption(options.failOn),
    ...(options.blockUnfixed ? { blockUnfixed: true } : {}),
    ...(options.audit ? { audit: true } : {}),
    ...(options.ignoreFile ? { ignoreFile: options.ignoreFile } : {}),
    ...(options.includeDev ? { includeDev: true } : {}),
  };
}

/** Stale advisory data is named on stderr (it never changes the exit code). */
export async function warnIfStale(run: DepsRun): Promise<void> {
  const { stalenessWarning } = await import('../../../gates/deps/run.ts');
  const warning = stalenessWarning(run, new Date());
  if (warning) process.stderr.write(`gatechain: warning: ${warning}\n`);
}

export async function printDepsTable(run: DepsRun): Promise<void> {
  const [{ renderFindingsTable }, { summaryLine }] = await Promise.all([
    import('../../../scanners/vulns/render.ts'),
    import('../../../gates/deps/run.ts'),
  ]);
  process.stdout.write(`${renderFindingsTable(run.gate.findings)}\n${summaryLine(run)}\n`);
}

/** `gatechain scan deps [path]`: exit 0 pass, 1 when the gate blocks, 2 on bad input. */
export function register(group: Command): void {
  addDepsOptions(
    group.command('deps').description("Match a source tree's dependencies against the local OSV database"),
  )
    .option('--sarif', 'print SARIF 2.1.0 instead of the table')
    .action(async (root: string, options: DepsCommandOptions & { sarif?: boolean }) => {
      try {
        const { runDeps, depsJson } = await import('../../../gates/deps/run.ts');
        const run = await runDeps(root, await runOptions(options));
        await warnIfStale(run);
        if (options.sarif) {
          const [{ toSarif }, { matchToFinding, SCANNER_NAME }] = await Promise.all([
            import('../../../scanners/sarif/index.ts'),
            import('../../../scanners/vulns/findings.ts'),
          ]);
          const version = gatechainVersion();
          const findings = run.gate.findings.map((f) => ({
            ...matchToFinding(f.match, version),
            ...(f.suppression ? { suppressions: [f.suppression] } : {}),
          }));
          printJson(toSarif(findings, { name: SCANNER_NAME, version, informationUri: 'https://osv.dev/' }));
        } else if (options.json) {
          printJson(depsJson(run));
        } else {
          await printDepsTable(run);
        }
        process.exitCode = run.gate.verdict === 'block' ? ExitCode.policyFailure : ExitCode.ok;
      } catch (error) {
        reportError(error, options.json === true || options.sarif === true);
      }
    });
}
