import type { Command } from 'commander';
import { registerGroup, type SubcommandEntry } from '../subcommands.ts';

/** `gatechain gate <name>`: run a gate's checks, decide, and sign its attestations. */
export const GATE_SUBCOMMANDS: SubcommandEntry[] = [
  {
    name: 'code',
    summary: 'Gate 1: secrets, SAST and licenses → code-scan attestation',
    load: () => import('./gate/code.ts'),
  },
  {
    name: 'deps',
    summary: 'Gate 2: SBOM, vulnerability match and decision → sbom and vuln-scan attestations',
    load: () => import('./gate/deps.ts'),
  },
];

export async function register(program: Command): Promise<void> {
  await registerGroup(program, 'gate', "Run a gate's checks, decide and attest", GATE_SUBCOMMANDS);
}
