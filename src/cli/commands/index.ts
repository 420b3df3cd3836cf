import type { Command } from 'commander';

/**
 * The command table. Each top-level command lives in its own module, loaded only when it is the
 * one being run, so a command pays start-up time only for what it uses.
 * Adding a command group = one file in this folder + one row here.
 */
export interface CommandModule {
  register(program: Command): void | Promise<void>;
}

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CommandModule>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'scan', summary: 'Run a scanner and print its findings', load: () => import('./scan.ts') },
  { name: 'gate', summary: "Run a gate's checks, decide and attest", load: () => import('./gate.ts') },
];
