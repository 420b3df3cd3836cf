import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { LoadedExceptions } from '../../../gates/deps/exceptions.ts';
import type { ResourceDescriptor } from '../../../model/statement.ts';
import { gatechainVersion } from '../../../util/version.ts';
import { ExitCode, printJson, reportError, resolveStoreDir } from '../../context.ts';
import {
  addDepsOptions,
  type DepsCommandOptions,
  printDepsTable,
  runOptions,
  warnIfStale,
} from '../scan/deps.ts';

interface GateDepsOptions extends DepsCommandOptions {
  subject: string;
  key?: string;
  passphraseEnv?: string;
  config?: string;
}

/**
 * Signed vuln-exceptions about the subject, verified against the policy's gate-2 exception
 * signers. Without a policy file nothing is honoured (fail closed).
 */
async function storedExceptions(
  options: GateDepsOptions,
  subject: ResourceDescriptor,
): Promise<LoadedExceptions> {
  const [{ resolveProject, openProjectStore }, { loadChainPolicy }, { loadVerifiedExceptions }] =
    await Promise.all([
      import('../../../pipeline/project.ts'),
      import('../../../policy/index.ts'),
      import('../../../gates/deps/exceptions.ts'),
    ]);
  const config = await resolveProject({
    ...(options.store ? { store: options.store } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  if (!existsSync(config.policy)) return { exceptions: [], rejected: [] };
  const policy = await loadChainPolicy(config.policy);
  const store = await openProjectStore(config);
  try {
    return await loadVerifiedExceptions(store, policy, subject);
  } finally {
    await store.close();
  }
}

/**
 * `gatechain gate deps [path] --subject <spec>`: SBOM + vulnerability match + decision, then the
 * sbom (CycloneDX) and vuln-scan (vulns v0.2) attestations signed and recorded for the subject.
 * Exit 0 pass, 1 blocked, 2 bad input.
 */
export function register(group: Command): void {
  addDepsOptions(
    group
      .command('deps')
      .description('Gate 2: SBOM, vulnerability match and decision; signs sbom and vuln-scan'),
  )
    .requiredOption(
      '-s, --subject <spec>',
      'what the attestations are about: directory, file, git:HEAD, name@sha256:<hex>',
    )
    .option('--key <file>', 'signing key (default: the project config)')
    .option('--passphrase-env <var>', 'environment variable holding the key passphrase')
    .option(
      '--config <file>',
      'project config (default ./gatechain.yaml); its policy names the exception signers',
    )
    .action(async (root: string, options: GateDepsOptions) => {
      try {
        const [{ resolveSubject }, { emitAttestation }, { runDeps, depsJson, depsStatements }] =
          await Promise.all([
            import('../../../subjects/index.ts'),
            import('../../../gates/emit.ts'),
            import('../../../gates/deps/run.ts'),
          ]);
        const subject = await resolveSubject(options.subject, { cwd: process.cwd() });
        const exceptions = await storedExceptions(options, subject);
        for (const rejected of exceptions.rejected) {
          process.stderr.write(
            `gatechain: vuln-exception ${rejected.id.slice(0, 16)} not honoured: ${rejected.reason} [${rejected.code}]\n`,
          );
        }
        const run = await runDeps(root, {
          ...(await runOptions(options)),
          exceptions: exceptions.exceptions,
        });
        await warnIfStale(run);
        const statements = await depsStatements(run, subject, root, gatechainVersion());
        const emitted = [];
        for (const statement of statements) {
          emitted.push(
            await emitAttestation(statement, {
              gate: 2,
              store: await resolveStoreDir(options.store),
              ...(options.key ? { keyPath: options.key } : {}),
              ...(options.passphraseEnv ? { passphraseEnv: options.passphraseEnv } : {}),
            }),
          );
        }
        if (options.json) printJson({ ...depsJson(run), attestations: emitted.map((e) => e.id) });
        else {
          await printDepsTable(run);
          process.stdout.write(
            `attested: sbom ${emitted[0]?.id.slice(0, 16)}, vuln-scan ${emitted[1]?.id.slice(0, 16)}\n`,
          );
        }
        process.exitCode = run.gate.verdict === 'block' ? ExitCode.policyFailure : ExitCode.ok;
      } catch (error) {
        reportError(error, options.json === true);
      }
    });
}
