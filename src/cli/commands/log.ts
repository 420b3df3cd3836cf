import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { GatechainError, InputError, VerificationError } from '../../util/errors.ts';
import { ExitCode, printJson, reportError, resolveStoreDir, usageError } from '../context.ts';

/**
 * `gatechain log …`: the transparency log. Read commands open the store read-only; nothing here
 * appends (the store appends when it saves attestations).
 */
interface CommonOptions {
  store?: string;
  json?: boolean;
}

const MAX_INPUT_BYTES = 4 << 20;

function readInput(file: string): Buffer {
  if (!existsSync(file)) throw new InputError('FILE_NOT_FOUND', `${file} does not exist`, { file });
  const bytes = readFileSync(file);
  if (bytes.length > MAX_INPUT_BYTES)
    throw new InputError('FILE_TOO_LARGE', `${file} is larger than 4 MiB`, { file });
  return bytes;
}

/** A verifier key given inline, or the path of a file holding one. */
function verifierKeyArgument(value: string): string {
  if (!value.includes('+') && existsSync(value)) return readInput(value).toString('utf8').trim();
  return value.trim();
}

function run<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const options = args.find(
      (arg): arg is CommonOptions => typeof arg === 'object' && arg !== null && 'json' in arg,
    );
    try {
      await action(...args);
    } catch (error) {
      reportError(error, Boolean(options?.json));
      if (error instanceof VerificationError) process.exitCode = ExitCode.policyFailure;
    }
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command): void {
  const log = program
    .command('log')
    .description('Transparency log: checkpoints, receipts, export, monitoring');

  log
    .command('checkpoint')
    .description('Print the latest published checkpoint (a signed note)')
    .option('--store <dir>', 'store directory')
    .option('--json', 'print as JSON', false)
    .action(
      run(async (options: CommonOptions) => {
        const { openLedgerReader, parseCheckpointText, parseNote } = await import('../../ledger/tools.ts');
        const reader = openLedgerReader(await resolveStoreDir(options.store));
        try {
          const published = await reader.latestPublished();
          if (!published?.published)
            throw new GatechainError('LEDGER_NOT_PUBLISHED', 'no checkpoint published yet');
          const checkpoint = parseCheckpointText(parseNote(published.published).text);
          if (options.json) {
            printJson({
              origin: checkpoint.origin,
              size: checkpoint.size,
              root: checkpoint.root.toString('base64'),
              note: published.published,
            });
          } else process.stdout.write(published.published);
        } finally {
          await reader.close();
        }
      }),
    );

  log
    .command('proof')
    .description('Print the tlog-proof receipt of an entry, by index or attestation bundle digest')
    .argument('<entry>', 'entry index, or sha256:<hex> of an attestation bundle')
    .option('--store <dir>', 'store directory')
    .option('--out <file>', 'write the receipt to a file')
    .option('--json', 'print as JSON', false)
    .action(
      run(async (entry: string, options: CommonOptions & { out?: string }) => {
        const { openLedgerReader } = await import('../../ledger/tools.ts');
        const { parseDigestString } = await import('../../model/digest.ts');
        const reader = openLedgerReader(await resolveStoreDir(options.store));
        try {
          let index: number;
          if (/^(0|[1-9][0-9]{0,15})$/.test(entry)) index = Number(entry);
          else {
            const { algorithm, hex } = parseDigestString(entry);
            const found = await reader.findIndex(`${algorithm}:${hex}`);
            if (found === undefined)
              throw new InputError('LEDGER_ENTRY_NOT_FOUND', `no log entry for ${entry}`);
            index = found;
          }
          const receipt = await reader.receipt(index);
          if (options.out) writeFileSync(options.out, receipt);
          if (options.json) printJson({ index, receipt });
          else if (!options.out) process.stdout.write(receipt);
        } finally {
          await reader.close();
        }
      }),
    );

  log
    .command('verify')
    .description('Verify a tlog-proof receipt offline against the log verifier key')
    .argument('<receipt-file>', 'a .tlog-proof file')
    .requiredOption('--vkey <key>', 'log verifier key (name+keyid+base64), or a file holding it')
    .option('--entry <file>', 'the entry, or an artifact the entry commits to by digest')
    .option('--origin <origin>', 'expected checkpoint origin (default: the key name)')
    .option('--witness <vkey>', 'witness cosigner key (repeatable)', collect, [])
    .option('--quorum <k>', 'witness cosignatures required', '0')
    .option('--json', 'print as JSON', false)
    .action(
      run(
        async (
          file: string,
          options: CommonOptions & {
            vkey: string;
            entry?: string;
            origin?: string;
            witness: string[];
            quorum: string;
          },
        ) => {
          const ledger = await import('../../ledger/tools.ts');
          const { verifyArtifactReceipt } = await import('../../verify/receipt.ts');
          const text = readInput(file).toString('utf8');
          const quorum = Number(options.quorum);
          if (!Number.isInteger(quorum) || quorum < 0 || quorum > options.witness.length) {
            throw usageError(
              `--quorum must be between 0 and the number of --witness keys (${options.witness.length})`,
            );
          }
          const verifyOptions = {
            ...(options.origin ? { origin: options.origin } : {}),
            ...(quorum > 0
              ? {
                  policy: {
                    quorum,
                    witnesses: options.witness.map((w) => ledger.parseVerifierKey(verifierKeyArgument(w))),
                  },
                }
              : {}),
          };
          const vkey = verifierKeyArgument(options.vkey);
          const artifact = options.entry
            ? { bytes: readInput(options.entry), name: options.entry }
            : undefined;
          const { verified, matchedBy, record } = verifyArtifactReceipt(text, artifact, vkey, verifyOptions);
          const { origin, size, root } = verified.checkpoint;
          if (options.json) {
            printJson({
              ok: true,
              index: verified.index,
              origin,
              size,
              root: root.toString('base64'),
              cosigners: verified.cosigners,
              matchedBy,
              record,
            });
          } else {
            const kind = record?.kind;
            process.stdout.write(
              `OK: entry ${verified.index} is in ${origin} at size ${size}` +
                `${kind ? ` (${kind} record)` : ''}${verified.cosigners.length ? `, cosigned by ${verified.cosigners.length} witnesses` : ''}\n`,
            );
          }
        },
      ),
    );

  log
    .command('key')
    .description('Print the verifier key of the log (or of the witness); creates the key on first use')
    .option('--store <dir>', 'store directory')
    .option('--witness', 'the witness cosigning key instead of the log key', false)
    .option('--origin <name>', 'name for a newly created key')
    .option('--json', 'print as JSON', false)
    .action(
      run(async (options: CommonOptions & { witness: boolean; origin?: string }) => {
        const ledger = await import('../../ledger/tools.ts');
        const kind = options.witness ? 'witness' : 'ledger';
        const { key, created } = ledger.loadOrCreateKey(
          await resolveStoreDir(options.store),
          kind,
          options.origin,
        );
        const vkey = ledger.formatVerifierKey(ledger.publicPart(key));
        if (options.json) printJson({ kind, name: key.name, vkey, created });
        else process.stdout.write(`${vkey}\n`);
      }),
    );

  log
    .command('export')
    .description('Write the log as static tlog-tiles files (tiles, entry bundles, receipts, checkpoint)')
    .argument('<dir>', 'output directory')
    .option('--store <dir>', 'store directory')
    .option('--no-receipts', 'skip the per-entry tlog-proof receipts')
    .option('--json', 'print as JSON', false)
    .action(
      run(async (dir: string, options: CommonOptions & { receipts: boolean }) => {
        const ledger = await import('../../ledger/tools.ts');
        const storeDir = await resolveStoreDir(options.store);
        const reader = ledger.openLedgerReader(storeDir);
        try {
          const verifierKey = ledger.ledgerVerifierKey(storeDir);
          const result = await ledger.exportLedger(reader, dir, {
            receipts: options.receipts,
            ...(verifierKey ? { verifierKey } : {}),
          });
          if (options.json) printJson({ dir, ...result });
          else
            process.stdout.write(
              `exported size ${result.size} to ${dir}: ${result.written} files written, ${result.kept} kept\n`,
            );
        } finally {
          await reader.close();
        }
      }),
    );

  log
    .command('monitor')
    .description('Follow any C2SP tlog-tiles log: verify signatures, consistency and tiles')
    .requiredOption('--url <tiles-url>', 'log prefix URL (or a directory holding an export)')
    .requiredOption('--vkey <key>', 'log verifier key, or a file holding it')
    .option('--state <file>', 'file keeping the last verified checkpoint')
    .option('--origin <origin>', 'expected origin (default: the key name)')
    .option('--interval <seconds>', 'keep following, checking every N seconds')
    .option('--no-entries', 'do not download entry bundles')
    .option('--json', 'print as JSON', false)
    .action(
      run(
        async (
          options: CommonOptions & {
            url: string;
            vkey: string;
            state?: string;
            origin?: string;
            interval?: string;
            entries: boolean;
          },
        ) => {
          const ledger = await import('../../ledger/tools.ts');
          const vkey = verifierKeyArgument(options.vkey);
          const interval = options.interval === undefined ? undefined : Number(options.interval);
          if (interval !== undefined && (!Number.isFinite(interval) || interval < 1)) {
            throw usageError('--interval must be at least 1 second');
          }
          let state =
            options.state && existsSync(options.state)
              ? ledger.parseMonitorState(readInput(options.state).toString('utf8'), options.state)
              : undefined;
          const fetcher = ledger.tileFetcherFor(options.url);
          for (;;) {
            const result = await ledger.monitorOnce({
              fetcher,
              vkey,
              state,
              ...(options.origin ? { origin: options.origin } : {}),
              readEntries: options.entries,
            });
            state = result.state;
            if (options.state) ledger.saveMonitorState(options.state, state);
            if (options.json) printJson(result);
            else {
              const from = result.previousSize === undefined ? 'first sight' : `from ${result.previousSize}`;
              const kinds = Object.entries(result.kinds)
                .map(([kind, count]) => `${count} ${kind}`)
                .join(', ');
              process.stdout.write(
                `verified ${state.origin} at size ${state.size} (${from}; ${result.newEntries} new entries${kinds ? `: ${kinds}` : ''})\n`,
              );
            }
            if (interval === undefined) return;
            await new Promise((resolveWait) => setTimeout(resolveWait, interval * 1000));
          }
        },
      ),
    );
}
