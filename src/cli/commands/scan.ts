import type { Command } from 'commander';
import { registerGroup, type SubcommandEntry } from '../subcommands.ts';

/** `gatechain scan <kind>`: one row per scanner, each in its own module under scan/. */
export const SCAN_SUBCOMMANDS: SubcommandEntry[] = [
  {
    name: 'deps',
    summary: "Match a source tree's dependencies against the local OSV database",
    load: () => import('./scan/deps.ts'),
  },
];

export async function register(program: Command): Promise<void> {
  await registerGroup(program, 'scan', 'Run a scanner and print its findings', SCAN_SUBCOMMANDS);
}
