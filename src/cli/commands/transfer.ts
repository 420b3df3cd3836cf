import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { primaryDigestKey } from '../../model/digest.ts';
import { resolvePredicateType } from '../../model/predicate-types.ts';
import { openProjectStore, resolveProject } from '../../pipeline/project.ts';
import type { Store, StoredAttestation } from '../../store/index.ts';
import { printJson } from '../context.ts';

async function selectRows(store: Store, options: { subject?: string; type?: string; gate?: number }) {
  let subjectDigest: string | undefined;
  if (options.subject) {
    const { resolveSubject } = await import('../../subjects/index.ts');
    const subject = await resolveSubject(options.subject, { cwd: process.cwd() });
    subjectDigest = primaryDigestKey(subject.digest);
  }
  const rows: StoredAttestation[] = [];
  const page = 1000;
  for (let offset = 0; ; offset += page) {
    const batch = await store.findAttestations({
      subjectDigest,
      predicateType: options.type ? resolvePredicateType(options.type) : undefined,
      gate: options.gate,
      limit: page,
      offset,
    });
    rows.push(...batch);
    if (batch.length < page) return rows;
  }
}

/**
 * Moves attestations between CI jobs: `export` writes stored bundles as *.sigstore.json files or
 * one in-toto JSON Lines file; `import` indexes them into another store. Import does not trust:
 * it stores; `verify` decides trust against the policy's keys.
 */
export function register(program: Command): void {
  program
    .command('export')
    .description('Write stored attestations as *.sigstore.json bundles or an in-toto JSON Lines file')
    .option('--subject <spec>', 'only attestations about this subject')
    .option('-t, --type <predicate-type>', 'only this predicate type')
    .option('-g, --gate <n>', 'only this gate', (v) => Number.parseInt(v, 10))
    .option(
      '--out <dir>',
      'write <id>.sigstore.json (and its log receipt <id>.tlog-proof) per attestation here',
    )
    .option('--jsonl <file>', 'write one in-toto JSON Lines file (*.intoto.jsonl)')
    .option('--store <dir|url>', 'store directory or postgres:// URL')
    .option('--config <file>', 'project config (default ./gatechain.yaml)')
    .option('--json', 'print what was written as JSON')
    .action(async (options) => {
      const { usageError } = await import('../context.ts');
      if (!options.out === !options.jsonl)
        throw usageError('give exactly one of --out <dir> or --jsonl <file>');
      const config = await resolveProject(options);
      const { receiptKey } = await import('../../pipeline/record.ts');
      const store = await openProjectStore(config);
      let rows: StoredAttestation[];
      const receipts = new Map<string, string>();
      try {
        rows = await selectRows(store, options);
        for (const row of rows) {
          const receipt = await store.getMeta(receiptKey(row.id));
          if (receipt !== undefined) receipts.set(row.id, receipt);
        }
      } finally {
        await store.close();
      }
      const written: string[] = [];
      if (options.out) {
        await mkdir(options.out, { recursive: true });
        for (const row of rows) {
          const file = join(options.out, `${row.id}.sigstore.json`);
          await writeFile(file, `${row.bundleJson}\n`);
          written.push(file);
          // The log's inclusion receipt, checkable offline with `gatechain log verify`.
          const receipt = receipts.get(row.id);
          if (receipt !== undefined) {
            const receiptFile = join(options.out, `${row.id}.tlog-proof`);
            await writeFile(receiptFile, receipt);
            written.push(receiptFile);
          }
        }
      } else {
        const { toJsonLines } = await import('../../attest/index.ts');
        await writeFile(options.jsonl, toJsonLines(rows.map((row) => JSON.parse(row.bundleJson))));
        written.push(options.jsonl);
      }
      if (options.json) printJson({ attestations: rows.length, files: written });
      else
        process.stdout.write(`exported ${rows.length} attestation(s) to ${options.out ?? options.jsonl}\n`);
    });

  program
    .command('import')
    .description(
      'Index *.sigstore.json bundles or *.intoto.jsonl files into the store (trust is decided by verify)',
    )
    .argument('<files...>', 'bundle files')
    .option('-g, --gate <n>', 'record the gate number for these attestations', (v) => Number.parseInt(v, 10))
    .option('--store <dir|url>', 'store directory or postgres:// URL')
    .option('--config <file>', 'project config (default ./gatechain.yaml)')
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], options) => {
      const { parseBundleFile, parseJsonLines, readUntrustedStatement, untrustedSignerKeyId } = await import(
        '../../attest/index.ts'
      );
      const { openLedgerSink } = await import('../../pipeline/ledger-append.ts');
      const { recordBundle } = await import('../../pipeline/record.ts');
      const config = await resolveProject(options);
      // Parse every file before touching the store, so one bad file imports nothing.
      const bundles = [];
      for (const file of files) {
        const text = await readFile(file, 'utf8');
        const parsed = file.endsWith('.jsonl') ? parseJsonLines(text, file) : [parseBundleFile(text, file)];
        for (const bundle of parsed) bundles.push({ bundle, statement: readUntrustedStatement(bundle) });
      }
      const ledger = openLedgerSink(config);
      const store = await openProjectStore(config);
      let inserted = 0;
      try {
        for (const { bundle, statement } of bundles) {
          const result = await recordBundle(
            { store, ledger },
            bundle,
            statement,
            untrustedSignerKeyId(bundle),
            {
              gate: options.gate,
              source: 'import',
            },
          );
          if (result.inserted) inserted++;
        }
      } finally {
        await ledger?.close();
        await store.close();
      }
      if (options.json) printJson({ read: bundles.length, inserted });
      else process.stdout.write(`imported ${inserted} new of ${bundles.length} attestation(s)\n`);
    });
}
