import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { resolvePredicateType } from '../../model/predicate-types.ts';
import { loadProjectSigner, openProjectStore, resolveProject } from '../../pipeline/project.ts';
import { parseJson } from '../../util/errors.ts';
import { printJson } from '../context.ts';

async function readPredicate(source: string): Promise<{ text: string; file: string }> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8'), file: '<stdin>' };
  }
  return { text: await readFile(source, 'utf8'), file: source };
}

export function register(program: Command): void {
  program
    .command('attest')
    .description('Sign a predicate about a subject and record it in the store')
    .requiredOption('-s, --subject <spec>', 'file, directory, git:HEAD, oci-layout:<dir>, name@sha256:<hex>')
    .requiredOption(
      '-t, --type <predicate-type>',
      'predicate type URI or alias (code-scan, sbom, vuln-scan, …)',
    )
    .option('-p, --predicate <file>', 'predicate JSON file, or - for stdin', '-')
    .option('-g, --gate <n>', 'gate number 1–5 this claim belongs to', (v) => Number.parseInt(v, 10))
    .option('--key <file>', 'signing key (default: the project config)')
    .option('--passphrase-env <var>', 'environment variable holding the key passphrase')
    .option('--store <dir|url>', 'store directory or postgres:// URL')
    .option('--config <file>', 'project config (default ./gatechain.yaml)')
    .option('--json', 'print the result as JSON')
    .action(async (options) => {
      const { resolveSubject } = await import('../../subjects/index.ts');
      const { validatePredicate } = await import('../../model/predicates/index.ts');
      const { recordStatement, makeStatement } = await import('../../pipeline/record.ts');
      const { openLedgerSink } = await import('../../pipeline/ledger-append.ts');
      const config = await resolveProject(options);
      const subject = await resolveSubject(options.subject, { cwd: process.cwd() });
      const predicateType = resolvePredicateType(options.type);
      const { text, file } = await readPredicate(options.predicate);
      const predicate = parseJson(text, file);
      validatePredicate(predicateType, predicate, file);
      const signer = await loadProjectSigner(config);
      const store = await openProjectStore(config);
      const ledger = openLedgerSink(config);
      try {
        const result = await recordStatement(
          { store, signer, ledger },
          makeStatement(subject, predicateType, predicate),
          { gate: options.gate, source: 'attest' },
        );
        if (options.json) {
          printJson({
            id: result.id,
            inserted: result.inserted,
            logIndex: result.logIndex,
            subject,
            predicateType,
          });
        } else {
          const digest = Object.entries(subject.digest)[0]?.join(':') ?? '';
          process.stdout.write(
            `${result.inserted ? 'recorded' : 'already recorded'} ${result.id.slice(0, 16)}  ${options.type} about ${digest}${result.logIndex !== undefined ? `  (log index ${result.logIndex})` : ''}\n`,
          );
        }
      } finally {
        await ledger?.close();
        await store.close();
      }
    });
}
