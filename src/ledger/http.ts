import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { isGatechainError } from '../util/errors.ts';
import { LedgerReader } from './reader.ts';
import { LEDGER_DB_FILE, openSqliteStorage } from './sqlite-storage.ts';
import { parseTilePath } from './tiles.ts';
import { Witness, type WitnessOptions } from './witness.ts';
import { LEDGER_CONFIG_FILE, parseLedgerConfig } from './witness-config.ts';
import { MAX_ADD_CHECKPOINT_BYTES } from './witness-protocol.ts';

/**
 * The C2SP tlog-tiles read API (`checkpoint`, `tile/<L>/<N>[.p/<W>]`, `tile/entries/<N>[.p/<W>]`)
 * and, when configured, the tlog-witness `add-checkpoint` endpoint, under `prefix` (default
 * `/log`). Reads use their own read-only SQLite connection, so they never wait on the writer.
 */
export interface LedgerRoutesOptions {
  storeDir: string;
  /** URL prefix of the log; default `/log`. Use '' to serve at the root. */
  prefix?: string;
  /** Act as a witness for these logs (keys of the logs it cosigns for). */
  witness?: Omit<WitnessOptions, 'storeDir'> & { storeDir?: string };
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The witness role configured in `<storeDir>/ledger.json` (`witnessFor`), if any. */
function witnessRoleFromConfig(storeDir: string): LedgerRoutesOptions['witness'] {
  const file = join(storeDir, LEDGER_CONFIG_FILE);
  if (!existsSync(file)) return undefined;
  return parseLedgerConfig(readFileSync(file, 'utf8'), file).witnessFor;
}

export async function registerLedgerRoutes(
  app: FastifyInstance,
  options: LedgerRoutesOptions,
): Promise<void> {
  const storeDir = resolve(options.storeDir);
  const dbFile = join(storeDir, LEDGER_DB_FILE);
  let reader: LedgerReader | undefined;
  const getReader = (): LedgerReader | undefined => {
    if (!reader && existsSync(dbFile))
      reader = new LedgerReader(openSqliteStorage(dbFile, { readOnly: true }));
    return reader;
  };
  const witnessOptions = options.witness ?? witnessRoleFromConfig(storeDir);
  const witness = witnessOptions
    ? new Witness({ ...witnessOptions, storeDir: witnessOptions.storeDir ?? storeDir })
    : undefined;
  const prefix = options.prefix ?? '/log';

  await app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        '*',
        { parseAs: 'string', bodyLimit: MAX_ADD_CHECKPOINT_BYTES },
        (_request, body, done) => {
          done(null, body);
        },
      );

      scope.get('/checkpoint', async (_request, response) => {
        const published = await getReader()?.latestPublished();
        if (!published?.published)
          return response.code(404).type('text/plain').send('no checkpoint published yet\n');
        return response
          .header('cache-control', 'no-cache, max-age=0')
          .type('text/plain; charset=utf-8')
          .send(published.published);
      });

      scope.get('/tile/*', async (request, response) => {
        const path = (request.params as { '*': string })['*'];
        let ref: ReturnType<typeof parseTilePath>;
        try {
          ref = parseTilePath(path);
        } catch (error) {
          return response
            .code(400)
            .type('text/plain')
            .send(`${(error as Error).message}\n`);
        }
        const bytes = await getReader()?.tile(ref);
        if (!bytes) return response.code(404).type('text/plain').send('no such tile\n');
        response
          .header('cache-control', IMMUTABLE)
          .header('vary', 'accept-encoding')
          .type('application/octet-stream');
        // Entry bundles compress well (hash tiles do not): gzip them when the client accepts it.
        if (ref.level === 'entries' && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
          return response.header('content-encoding', 'gzip').send(gzipSync(bytes, { level: 1 }));
        }
        return response.send(bytes);
      });

      if (witness) {
        scope.get('/witness-key', async (_request, response) =>
          response.type('text/plain').send(`${witness.verifierKey}\n`),
        );
        scope.post('/add-checkpoint', async (request, response) => {
          const body = typeof request.body === 'string' ? request.body : '';
          const result = witness.addCheckpoint(body);
          return response.code(result.status).type(result.contentType).send(result.body);
        });
      }

      scope.setErrorHandler((error, _request, response) => {
        const status = isGatechainError(error) ? 400 : ((error as { statusCode?: number }).statusCode ?? 500);
        void response
          .code(status)
          .type('text/plain')
          .send(`${status === 500 ? 'internal error' : (error as Error).message}\n`);
      });
    },
    { prefix },
  );

  app.addHook('onClose', async () => {
    witness?.close();
    await reader?.close();
  });
}
