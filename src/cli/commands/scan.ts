import type { Command } from 'commander';
import { registerGroup, type SubcommandEntry } from '../subcommands.ts';

/** `gatechain scan <kind>`: one row per scanner, each in its own module under scan/. */
export const SCAN_SUBCOMMANDS: SubcommandEntry[] = [
  {
    name: 'secrets',
    summary: 'Find leaked secrets in a tree, git history or staged changes',
    load: () => import('./scan/secrets.ts'),
  },
  {
    name: 'deps',
    summary: "Match a source tree's dependencies against the local OSV database",
    load: () => import('./scan/deps.ts'),
  },
  {
    name: 'sast',
    summary: 'Static analysis of JS/TS, merged with imported SARIF',
    load: () => import('./scan/sast.ts'),
  },
  {
    name: 'licenses',
    summary: 'Check dependency licenses against a policy',
    load: () => import('./scan/licenses.ts'),
  },
];

export async function register(program: Command): Promise<void> {
  await registerGroup(program, 'scan', 'Run a scanner and print its findings', SCAN_SUBCOMMANDS);
}
