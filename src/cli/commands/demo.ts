import type { Command } from 'commander';
import { ExitCode, printJson } from '../context.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('Create a sample project in a temp folder and walk it through all five gates')
    .option('--dir <dir>', 'create the sample project here instead of a temp folder')
    .option('--json', 'print the scenario results as JSON')
    .action(async (options) => {
      const { runDemo } = await import('../../demo/run.ts');
      const scenarios = await runDemo({
        dir: options.dir,
        write: options.json ? () => {} : (text) => process.stdout.write(text),
      });
      if (options.json) printJson(scenarios);
      const asExpected = scenarios.every((s) => s.result.passed === (s.expected === 'pass'));
      process.exitCode = asExpected ? ExitCode.ok : ExitCode.policyFailure;
    });
}
