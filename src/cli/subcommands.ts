import type { Command } from 'commander';

/** A subcommand module of a command group (`scan deps`, `gate code`, ...), loaded on demand. */
export interface SubcommandEntry {
  name: string;
  summary: string;
  load(): Promise<{ register(group: Command): void }>;
}

/**
 * Registers a group whose subcommands load lazily: only the subcommand being run is imported;
 * for help on the group itself every subcommand is listed by its summary.
 */
export async function registerGroup(
  program: Command,
  name: string,
  summary: string,
  entries: SubcommandEntry[],
): Promise<void> {
  const group = program.command(name).description(summary);
  const argv = process.argv.slice(2);
  const wanted = argv[0] === name ? argv[1] : undefined;
  const entry = entries.find((candidate) => candidate.name === wanted);
  if (entry) {
    (await entry.load()).register(group);
    return;
  }
  for (const candidate of entries) group.command(candidate.name).description(candidate.summary);
}
