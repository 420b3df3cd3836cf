import type { Command } from 'commander';
import { reportError, usageError } from '../context.ts';

interface SbomFlags {
  format: string;
  output?: string;
  includeDev?: boolean;
  exclude?: string[];
  name?: string;
  json?: boolean;
}

const FORMATS = ['cyclonedx', 'spdx'];

async function toolVersion(): Promise<string> {
  return (await import('../../util/version.ts')).gatechainVersion();
}

/** `gatechain sbom [path] --format cyclonedx|spdx [--output file] [--include-dev]`. */
export function register(program: Command): void {
  program
    .command('sbom')
    .description('Print the SBOM of a source tree from its lockfiles and manifests')
    .argument('[path]', 'folder to scan', '.')
    .option('--format <format>', `output format: ${FORMATS.join(' or ')}`, 'cyclonedx')
    .option('-o, --output <file>', 'write the SBOM to a file instead of standard output')
    .option('--include-dev', 'include development dependencies')
    .option(
      '--exclude <pattern>',
      'gitignore-style pattern to leave out (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--name <name>', 'name of the subject (default: the folder name)')
    .option('--json', 'report errors as JSON')
    .action(async (path: string, flags: SbomFlags) => {
      try {
        if (!FORMATS.includes(flags.format))
          throw usageError(`--format must be one of ${FORMATS.join(', ')}`);
        const sbom = await import('../../scanners/sbom/index.ts');
        const inventory = await sbom.extractInventory(path, {
          includeDev: flags.includeDev,
          exclude: flags.exclude,
        });
        const options = {
          toolVersion: await toolVersion(),
          subject: flags.name ? { name: flags.name } : undefined,
        };
        const document =
          flags.format === 'spdx' ? sbom.toSpdx(inventory, options) : sbom.toCycloneDx(inventory, options);
        const text = `${JSON.stringify(document, null, 2)}\n`;
        if (flags.output) {
          const { writeFile } = await import('node:fs/promises');
          await writeFile(flags.output, text);
        } else {
          process.stdout.write(text);
        }
        for (const skipped of inventory.skipped ?? []) {
          const where = `${skipped.location.file}${skipped.location.line ? `:${skipped.location.line}` : ''}`;
          process.stderr.write(`gatechain: skipped ${skipped.name} (${where}): ${skipped.reason}\n`);
        }
      } catch (error) {
        reportError(error, flags.json === true);
      }
    });
}
