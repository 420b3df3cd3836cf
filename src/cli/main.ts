import { gatechainVersion as packageVersion } from '../util/version.ts';
import { COMMANDS } from './commands/index.ts';
import { reportError } from './context.ts';

async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  // Fast path: `--version` must not pay for loading commander or any command module.
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  const { Command, CommanderError } = await import('commander');
  const program = new Command('gatechain')
    .description('Signed attestation chains from commit to running workload')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  const entry = COMMANDS.find((command) => command.name === args[0]);
  if (entry) {
    await (await entry.load()).register(program);
  } else {
    for (const command of COMMANDS) program.command(command.name).description(command.summary);
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode !== 0) process.exitCode = 2;
      return;
    }
    reportError(error, args.includes('--json'));
  }
}

await main(process.argv);
