import type { Command } from 'commander';
import { ExitCode, printJson, reportError, resolveStoreDir } from '../context.ts';

/** `gatechain vulns db import <path…>` and `gatechain vulns db status`. */
export function register(program: Command): void {
  const vulns = program.command('vulns').description('Manage the local vulnerability (OSV) database');
  const db = vulns.command('db').description('Import OSV records and show what the database holds');

  db.command('import')
    .description('Import OSV records from JSON/YAML files, folders and osv.dev all.zip archives')
    .argument('<path...>', 'files, folders or zip archives')
    .option(
      '--db <storeDir>',
      'store directory holding osv.db (default: --store, GATECHAIN_STORE or ./.gatechain)',
    )
    .option('--store <dir>', 'store directory')
    .option('--json', 'print the summary as JSON')
    .action(async (paths: string[], options: { db?: string; store?: string; json?: boolean }) => {
      try {
        const { OsvDatabase, importOsv } = await import('../../scanners/vulns/osv/index.ts');
        const storeDir = options.db ?? (await resolveStoreDir(options.store));
        const database = OsvDatabase.open(storeDir);
        const interactive = process.stderr.isTTY === true && !options.json;
        let lastDraw = 0;
        try {
          const result = importOsv(database, paths, {
            batchSize: 500,
            onProgress: (progress) => {
              if (!interactive) return;
              const now = Date.now();
              if (now - lastDraw < 100) return;
              lastDraw = now;
              const s = progress.summary;
              const line = `importing: ${progress.read} read, ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected} rejected`;
              process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
            },
          });
          if (interactive) process.stderr.write('\r\x1b[2K');
          for (const problem of result.problems.slice(0, 20))
            process.stderr.write(`gatechain: ${problem.describe()}\n`);
          if (result.problems.length > 20)
            process.stderr.write(`gatechain: … and ${result.summary.rejected - 20} more rejected\n`);
          const s = result.summary;
          if (options.json)
            printJson({
              database: database.path,
              ...result,
              problems: result.problems.map((p) => p.toJSON()),
            });
          else {
            process.stdout.write(
              `imported into ${database.path}: ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged (not newer), ${s.withdrawn} withdrawn, ${s.rejected} rejected\n`,
            );
          }
          process.exitCode = s.rejected > 0 ? ExitCode.usage : ExitCode.ok;
        } finally {
          database.close();
        }
      } catch (error) {
        reportError(error, options.json === true);
      }
    });

  db.command('status')
    .description('Per-ecosystem advisory counts, newest modified time and last import (freshness)')
    .option('--db <storeDir>', 'store directory holding osv.db')
    .option('--store <dir>', 'store directory')
    .option('--json', 'print as JSON')
    .action(async (options: { db?: string; store?: string; json?: boolean }) => {
      try {
        const { OsvDatabase } = await import('../../scanners/vulns/osv/index.ts');
        const database = OsvDatabase.openReadOnly(options.db ?? (await resolveStoreDir(options.store)));
        try {
          const status = database.status();
          if (options.json) {
            printJson(status);
            return;
          }
          const rows = [['ECOSYSTEM', 'ADVISORIES', 'WITHDRAWN', 'NEWEST MODIFIED']];
          for (const e of status.ecosystems)
            rows.push([e.ecosystem, String(e.advisories), String(e.withdrawn), e.newestModified ?? '-']);
          const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
          const lines = rows.map((r) =>
            r
              .map((c, i) => c.padEnd(widths[i]!))
              .join('  ')
              .trimEnd(),
          );
          const imported = status.lastImport?.finishedAt ?? status.lastImport?.startedAt;
          const age = imported ? ` (${formatAge(Date.now() - Date.parse(imported))} ago)` : '';
          process.stdout.write(
            `${status.path}\n${lines.join('\n')}\n\n${status.advisories} advisories (${status.withdrawn} withdrawn); data newest modified ${status.newestModified ?? '-'}; last import ${imported ?? 'never'}${age}\n`,
          );
        } finally {
          database.close();
        }
      } catch (error) {
        reportError(error, options.json === true);
      }
    });
}

function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}
