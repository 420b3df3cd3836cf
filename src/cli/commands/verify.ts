import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { ProjectConfig } from '../../config/index.ts';
import type { ResourceDescriptor } from '../../model/statement.ts';
import { loadProjectSigner, openProjectStore, resolveProject } from '../../pipeline/project.ts';
import type { ChainResult } from '../../policy/model.ts';
import type { Store } from '../../store/index.ts';
import { ExitCode, printJson, usageError } from '../context.ts';

/** `1-4` or `1,3,5` → the set of gate numbers; anything else is a usage error. */
export function parseGateList(text: string): Set<number> {
  const gates = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^\s*([1-5])\s*(?:-\s*([1-5])\s*)?$/.exec(part);
    if (!range?.[1]) throw usageError(`--gates: "${part}" is not a gate number 1-5 or a range like 1-4`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    for (let gate = from; gate <= to; gate++) gates.add(gate);
  }
  return gates;
}

/** `verify --attest`: records the decision with the project's signing key and transparency log. */
async function attestDecision(
  result: ChainResult,
  subject: ResourceDescriptor,
  policyPath: string,
  context: { config: ProjectConfig; store: Store },
): Promise<{ vsa: string; logIndex?: number }> {
  const [{ recordChainDecision }, { openLedgerSink }] = await Promise.all([
    import('../../pipeline/decision.ts'),
    import('../../pipeline/ledger-append.ts'),
  ]);
  const signer = await loadProjectSigner(context.config);
  const ledger = openLedgerSink(context.config);
  try {
    return await recordChainDecision(
      { store: context.store, signer, ledger },
      result,
      subject,
      pathToFileURL(resolve(policyPath)).href,
    );
  } finally {
    await ledger?.close();
  }
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('Verify the whole attestation chain of a subject against the chain policy')
    .argument('<subject>', 'file, directory, git:HEAD, oci-layout:<dir>, name@sha256:<hex>')
    .option('--policy <file>', 'chain policy (default: the project config, then gatechain-policy.yaml)')
    .option(
      '--gates <list>',
      'evaluate only these gates, e.g. 1-4 or 1,2 (admission runs before gate 5 exists)',
    )
    .option('--at <time>', 'evaluate as of this RFC 3339 time (exceptions and break-glass expire)')
    .option('--store <dir|url>', 'store directory or postgres:// URL')
    .option('--config <file>', 'project config (default ./gatechain.yaml)')
    .option('--attest', 'sign the result as a SLSA VSA with the project key, store it, and log the decision')
    .option('--key <file>', 'with --attest: signing key (default: the project config)')
    .option('--passphrase-env <var>', 'with --attest: environment variable holding the key passphrase')
    .option('--json', 'print the verification result as JSON')
    .action(async (spec: string, options) => {
      const { resolveSubject } = await import('../../subjects/index.ts');
      const { loadChainPolicy } = await import('../../policy/index.ts');
      const { verifyChain, renderChainTree } = await import('../../verify/index.ts');
      const config = await resolveProject(options);
      const now = options.at ? new Date(options.at) : new Date();
      if (Number.isNaN(now.getTime())) throw usageError(`--at: not a time: ${options.at}`);
      const loaded = await loadChainPolicy(options.policy ?? config.policy);
      const policy = options.gates
        ? { ...loaded, gates: loaded.gates.filter((g) => parseGateList(options.gates).has(g.gate)) }
        : loaded;
      const subject = await resolveSubject(spec, { cwd: process.cwd() });
      const store = await openProjectStore(config);
      try {
        const result = await verifyChain({ store, policy, subject: subject.digest, now });
        const summary = options.attest
          ? await attestDecision(result, subject, options.policy ?? config.policy, { config, store })
          : undefined;
        if (options.json) printJson(summary ? { ...result, summary } : result);
        else {
          process.stdout.write(renderChainTree(result));
          if (summary) {
            process.stdout.write(
              `recorded VSA ${summary.vsa.slice(0, 16)} (${result.passed ? 'PASSED' : 'FAILED'})${summary.logIndex !== undefined ? `, decision logged at #${summary.logIndex}` : ''}\n`,
            );
          }
        }
        process.exitCode = result.passed ? ExitCode.ok : ExitCode.policyFailure;
      } finally {
        await store.close();
      }
    });
}
