import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { GatechainError, InputError, isGatechainError, parseJson } from '../../util/errors.ts';
import { resolveStoreDir, usageError } from '../context.ts';

interface ServeOptions {
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
  plainHttp?: boolean;
  store?: string;
  policy?: string[];
  chainPolicy?: string;
  chainMode?: string;
  mode?: string;
  securityKey?: string[];
  breakGlassKey?: string[];
  breakGlassTtl: string;
  trustedRoot?: string;
  notifyUrl?: string;
  deadlineMs: string;
  cacheTtl: string;
  registryInsecure?: string[];
  ledger?: boolean;
  /** Commander's `--no-ledger-records`: true unless that flag is given. */
  ledgerRecords: boolean;
  logLevel: string;
}

function modeOf(value: string | undefined, flag: string): 'Audit' | 'Enforce' | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'audit') return 'Audit';
  if (lower === 'enforce') return 'Enforce';
  throw usageError(`${flag}: expected audit or enforce, got ${value}`);
}

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw usageError(`${flag}: expected a positive integer, got ${value}`);
  return number;
}

function parseListen(value: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  if (!match) throw usageError(`--listen: expected host:port, got ${value}`);
  return { host: match[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0', port: Number(match[2]) };
}

async function readPolicyBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new InputError('POLICY_NOT_FOUND', `cannot read policy file: ${(error as Error).message}`, {
      file: path,
    });
  }
}

/** A held lock names its holder; say what serve needs and the two ways out. */
function ledgerOpenError(error: unknown): unknown {
  if (!isGatechainError(error) || error.code !== 'LEDGER_LOCKED') return error;
  return new GatechainError(
    'LEDGER_LOCKED',
    `gatechain serve appends every admission decision to the ledger, but ${error.message}. ` +
      'Alternatively, start with --no-ledger-records to serve without ledger records',
    {},
    { cause: error },
  );
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the admission webhooks (and optionally the ledger read API) over HTTPS')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8443')
    .option('--tls-cert <file>', 'serving certificate (PEM), e.g. from `gatechain admission install`')
    .option('--tls-key <file>', 'serving private key (PEM)')
    .option('--plain-http', 'serve without TLS (local development only; the API server requires HTTPS)')
    .option('--store <dir|url>', 'store directory or postgres:// URL')
    .option('--policy <files...>', 'Kyverno ClusterPolicy YAML files (verifyImages subset)')
    .option('--chain-policy <file>', 'gatechain chain policy checked for every in-scope image')
    .option('--chain-mode <mode>', 'audit or enforce for chain-policy failures (default enforce)')
    .option('--mode <mode>', 'audit or enforce: overrides every policy failure action')
    .option('--security-key <files...>', 'public keys (PEM) whose vuln-exceptions are honoured')
    .option('--break-glass-key <files...>', 'public keys (PEM) whose break-glass attestations are honoured')
    .option('--break-glass-ttl <seconds>', 'longest break-glass window from its signing time', '7200')
    .option(
      '--trusted-root <file>',
      'Sigstore trusted_root.json enabling keyless attestors (Fulcio certificates)',
    )
    .option('--notify-url <url>', 'POST a JSON notice here on every break-glass admission')
    .option('--deadline-ms <ms>', 'answer within this time (also kept below the request ?timeout)', '8000')
    .option('--cache-ttl <seconds>', 'longest lifetime of a cached verification', '60')
    .option('--registry-insecure <hosts...>', 'registries reached over plain HTTP for tag resolution')
    .option('--ledger', 'also mount the ledger tiles read API')
    .option(
      '--no-ledger-records',
      'do not append admission decisions and break-glass uses to the ledger (no audit trail there)',
    )
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (options: ServeOptions) => {
      const [{ openStore, storeOptionsFrom }, admission, { buildApp, createMetrics }] = await Promise.all([
        import('../../store/index.ts'),
        import('../../admission/index.ts'),
        import('../../server/index.ts'),
      ]);
      if (!options.plainHttp && (!options.tlsCert || !options.tlsKey)) {
        throw usageError(
          '--tls-cert and --tls-key are required (the API server only calls webhooks over HTTPS)',
        );
      }
      const { host, port } = parseListen(options.listen);
      if (options.notifyUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(options.notifyUrl)) {
        throw usageError(`--notify-url: expected an http(s) URL, got ${options.notifyUrl}`);
      }
      const mode = modeOf(options.mode, '--mode');
      const chainMode = modeOf(options.chainMode, '--chain-mode');
      const storeLocation = await resolveStoreDir(options.store);
      const readKeys = (files: string[] | undefined) =>
        Promise.all((files ?? []).map((file) => readFile(file, 'utf8')));
      const { policies, fileDigests } = await admission.readPolicyFiles(options.policy ?? []);
      let chainPolicy: import('../../policy/model.ts').ChainPolicy | undefined;
      if (options.chainPolicy) {
        const { parseChainPolicy } = await import('../../policy/index.ts');
        // Read once: the digest the ledger records is that of the bytes actually enforced.
        const bytes = await readPolicyBytes(options.chainPolicy);
        fileDigests.push(admission.sha256Digest(bytes));
        chainPolicy = await parseChainPolicy(bytes.toString('utf8'), {
          file: options.chainPolicy,
          baseDir: dirname(options.chainPolicy),
        });
      }
      if (policies.length === 0 && !chainPolicy) {
        process.stderr.write(
          'gatechain: no --policy or --chain-policy given; the webhooks admit everything\n',
        );
      }
      const store = await openStore(storeOptionsFrom(storeLocation));
      const engine = await admission.createAdmissionEngine({
        store,
        policies,
        ...(chainPolicy ? { chainPolicy } : {}),
        securityKeys: await readKeys(options.securityKey),
        breakGlassKeys: await readKeys(options.breakGlassKey),
        breakGlassTtlSeconds: positiveInteger(options.breakGlassTtl, '--break-glass-ttl'),
        ...(options.trustedRoot
          ? { trustedRoot: parseJson(await readFile(options.trustedRoot, 'utf8'), options.trustedRoot) }
          : {}),
        ...(mode ? { mode } : {}),
        ...(chainMode ? { chainAction: chainMode } : {}),
        resolveTag: admission.firstResolver([
          admission.storeTagResolver(store),
          admission.registryResolver({ insecureRegistries: options.registryInsecure ?? [] }),
        ]),
        cacheMaxTtlMs: positiveInteger(options.cacheTtl, '--cache-ttl') * 1000,
      });
      const postgres = /^postgres/i.test(storeLocation);
      if (options.ledger && postgres)
        throw usageError('--ledger needs a store directory: the ledger lives in SQLite');
      // The audit trail: one writer holds the ledger for the server's lifetime. Refuse to start
      // rather than admit without it when another process holds the lock.
      let ledger: import('../../ledger/index.ts').Ledger | undefined;
      if (options.ledgerRecords && !postgres) {
        const { openLedger } = await import('../../ledger/index.ts');
        try {
          ledger = await openLedger({ storeDir: storeLocation });
        } catch (error) {
          await store.close();
          throw ledgerOpenError(error);
        }
      } else if (options.ledgerRecords && postgres) {
        process.stderr.write(
          'gatechain: a postgres store has no local ledger; admission decisions are not appended to a ledger\n',
        );
      }
      const recordsDir = postgres ? '.gatechain' : storeLocation;
      const records = admission.openAdmissionRecordStore(recordsDir);
      const app = await buildApp(
        {
          engine,
          records,
          metrics: createMetrics(),
          deadlineMs: positiveInteger(options.deadlineMs, '--deadline-ms'),
          ...(options.notifyUrl ? { notifyUrl: options.notifyUrl } : {}),
          ...(options.ledger ? { ledgerStoreDir: storeLocation } : {}),
          ...(ledger
            ? {
                ledger: { appendRecord: (record) => ledger.append(record) },
                policyDigest: admission.policySetDigest(fileDigests),
              }
            : {}),
          ready: async () => {
            await store.countAttestations({});
          },
        },
        {
          logger: { level: options.logLevel },
          ...(options.plainHttp
            ? {}
            : {
                https: {
                  cert: await readFile(options.tlsCert!, 'utf8'),
                  key: await readFile(options.tlsKey!, 'utf8'),
                },
              }),
        },
      );
      const shutdown = async () => {
        await app.close();
        // Closing flushes the decisions still queued, then releases the writer lock.
        await ledger?.close();
        records.close();
        await store.close();
      };
      process.once('SIGTERM', () => void shutdown());
      process.once('SIGINT', () => void shutdown());
      await app.listen({ host, port });
    });
}
