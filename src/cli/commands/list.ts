import type { Command } from 'commander';
import { primaryDigestKey } from '../../model/digest.ts';
import { resolvePredicateType } from '../../model/predicate-types.ts';
import { openProjectStore, resolveProject } from '../../pipeline/project.ts';
import type { StoredAttestation } from '../../store/index.ts';
import { printJson } from '../context.ts';

function summary(row: StoredAttestation) {
  return {
    id: row.id,
    predicateType: row.predicateType,
    gate: row.gate,
    signerKeyId: row.signerKeyId,
    createdAt: row.createdAt,
    subjects: row.subjects,
    source: row.source,
  };
}

export function register(program: Command): void {
  program
    .command('list')
    .description('List stored attestations, newest first')
    .option('--subject <spec>', 'only attestations about this subject (any form `verify` accepts)')
    .option('-t, --type <predicate-type>', 'only this predicate type (URI or alias)')
    .option('--signer <key-id>', 'only attestations signed by this key id')
    .option('-g, --gate <n>', 'only this gate', (v) => Number.parseInt(v, 10))
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 100)
    .option('--store <dir|url>', 'store directory or postgres:// URL')
    .option('--config <file>', 'project config (default ./gatechain.yaml)')
    .option('--json', 'print as JSON')
    .action(async (options) => {
      const config = await resolveProject(options);
      let subjectDigest: string | undefined;
      if (options.subject) {
        const { resolveSubject } = await import('../../subjects/index.ts');
        const subject = await resolveSubject(options.subject, { cwd: process.cwd() });
        subjectDigest = primaryDigestKey(subject.digest);
      }
      const store = await openProjectStore(config);
      try {
        const rows = await store.findAttestations({
          subjectDigest,
          predicateType: options.type ? resolvePredicateType(options.type) : undefined,
          signerKeyId: options.signer,
          gate: options.gate,
          limit: options.limit,
        });
        if (options.json) {
          printJson(rows.map(summary));
          return;
        }
        if (rows.length === 0) process.stdout.write('no attestations\n');
        for (const row of rows) {
          const subject =
            row.subjects[0]?.name ??
            Object.entries(row.subjects[0]?.digest ?? {})[0]
              ?.join(':')
              .slice(0, 24);
          process.stdout.write(
            `${row.id.slice(0, 16)}  ${row.createdAt}  gate ${row.gate ?? '-'}  ${row.predicateType}  ${subject}  key ${row.signerKeyId.slice(0, 12)}\n`,
          );
        }
      } finally {
        await store.close();
      }
    });

  program
    .command('show')
    .description('Show one stored attestation: its metadata and decoded statement')
    .argument('<id>', 'attestation id or a unique prefix of it')
    .option('--bundle', 'print the raw Sigstore bundle instead')
    .option('--store <dir|url>', 'store directory or postgres:// URL')
    .option('--config <file>', 'project config (default ./gatechain.yaml)')
    .option('--json', 'print as JSON')
    .action(async (id: string, options) => {
      const { readUntrustedStatement } = await import('../../attest/index.ts');
      const { GatechainError } = await import('../../util/errors.ts');
      const config = await resolveProject(options);
      const store = await openProjectStore(config);
      try {
        const row = await store.getAttestation(id);
        if (!row) throw new GatechainError('ATTESTATION_NOT_FOUND', `no attestation with id ${id}`);
        if (options.bundle) {
          process.stdout.write(`${row.bundleJson}\n`);
          return;
        }
        // Shown for inspection only: `show` does not verify; `verify` decides trust.
        const statement = readUntrustedStatement(JSON.parse(row.bundleJson));
        if (options.json) printJson({ ...summary(row), statement, verified: false });
        else {
          process.stdout.write(
            `id         ${row.id}\ncreated    ${row.createdAt}\ngate       ${row.gate ?? '-'}\n`,
          );
          process.stdout.write(
            `type       ${row.predicateType}\nsigner     ${row.signerKeyId}\nsource     ${row.source ?? '-'}\n`,
          );
          process.stdout.write('statement  (not verified by show; use `gatechain verify`)\n');
          process.stdout.write(`${JSON.stringify(statement, null, 2)}\n`);
        }
      } finally {
        await store.close();
      }
    });
}
