import type { Command } from 'commander';

/**
 * The command table. Each top-level command lives in its own module, loaded only when it is the
 * one being run, so a command pays start-up time only for what it uses.
 * Adding a command group = one file in this folder + one row here.
 */
export interface CommandModule {
  register(program: Command): void;
}

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<CommandModule>;
}

export const COMMANDS: CommandEntry[] = [];
