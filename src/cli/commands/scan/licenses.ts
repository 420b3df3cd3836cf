import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  checkLicenses,
  DEFAULT_LICENSE_POLICY,
  LICENSE_FORMATS,
  type LicenseFormat,
  type LicensePolicy,
  loadComponents,
  parseLicensePolicy,
  renderLicenses,
} from '../../../scanners/licenses/index.ts';
import { InputError } from '../../../util/errors.ts';
import { ExitCode, reportError, usageError } from '../../context.ts';

interface LicensesCliOptions {
  policy?: string;
  format: string;
}

export async function readLicensePolicy(path: string | undefined): Promise<LicensePolicy> {
  if (!path) return DEFAULT_LICENSE_POLICY;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile())
    throw new InputError('LICENSE_POLICY_UNREADABLE', 'license policy file not found', { file: path });
  return parseLicensePolicy(await readFile(path, 'utf8'), path);
}

/** `gatechain scan licenses [path]`: exit 0 when nothing is denied, 1 when a component is denied, 2 on bad input. */
export function register(group: Command): void {
  group
    .command('licenses')
    .description('Check the licenses of locked dependencies against an allow / review / deny policy')
    .argument('[path]', 'project directory with lockfiles', '.')
    .option('--policy <file>', 'license policy YAML (default: built-in permissive policy)')
    .option('--format <format>', `output format: ${LICENSE_FORMATS.join(', ')}`, 'table')
    .action(async (path: string, options: LicensesCliOptions) => {
      const json = options.format === 'json';
      try {
        if (!LICENSE_FORMATS.includes(options.format as LicenseFormat)) {
          throw usageError(`unknown --format ${options.format}; use ${LICENSE_FORMATS.join(', ')}`);
        }
        const policy = await readLicensePolicy(options.policy);
        const { components } = await loadComponents(path);
        const results = checkLicenses(components, policy, new Date());
        process.stdout.write(renderLicenses(options.format as LicenseFormat, results));
        process.exitCode = results.some((result) => result.verdict === 'deny')
          ? ExitCode.policyFailure
          : ExitCode.ok;
      } catch (error) {
        reportError(error, json);
      }
    });
}
