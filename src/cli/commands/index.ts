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
  {
    name: 'init',
    summary: 'Create a project: config, chain policy and signing keys',
    load: () => import('./init.ts'),
  },
  {
    name: 'attest',
    summary: 'Sign a predicate about a subject and record it',
    load: () => import('./attest.ts'),
  },
  {
    name: 'verify',
    summary: "Verify a subject's whole chain against the policy",
    load: () => import('./verify.ts'),
  },
  { name: 'list', summary: 'List stored attestations', load: () => import('./list.ts') },
  { name: 'show', summary: 'Show one stored attestation', load: () => import('./list.ts') },
  {
    name: 'export',
    summary: 'Export attestations as bundles or JSON Lines',
    load: () => import('./transfer.ts'),
  },
  {
    name: 'import',
    summary: 'Import bundles or JSON Lines into the store',
    load: () => import('./transfer.ts'),
  },
  { name: 'keys', summary: 'Generate signing keys and show key ids', load: () => import('./keys.ts') },
  { name: 'demo', summary: 'Walk a sample project through all five gates', load: () => import('./demo.ts') },
  { name: 'scan', summary: 'Run a scanner and print its findings', load: () => import('./scan.ts') },
  { name: 'gate', summary: "Run a gate's checks, decide and attest", load: () => import('./gate.ts') },
  {
    name: 'vulns',
    summary: 'Manage the local vulnerability (OSV) database',
    load: () => import('./vulns.ts'),
  },
  {
    name: 'sbom',
    summary: 'Print the SBOM (CycloneDX or SPDX) of a source tree',
    load: () => import('./sbom.ts'),
  },
  { name: 'serve', summary: 'Serve the admission webhooks over HTTPS', load: () => import('./serve.ts') },
  {
    name: 'admission',
    summary: 'Install admission webhooks and report on decisions',
    load: () => import('./admission.ts'),
  },
  {
    name: 'log',
    summary: 'Transparency log: checkpoints, receipts, export, monitor',
    load: () => import('./log.ts'),
  },
];
