import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { GatechainError } from '../util/errors.ts';

/** Where a tlog-tiles client reads resources: an HTTP(S) prefix or a local directory (an export). */
export interface TileFetcher {
  readonly location: string;
  /** The resource at a path under the prefix, or undefined if it does not exist (404). */
  get(path: string, maxBytes: number): Promise<Buffer | undefined>;
}

async function readLimited(response: Response, maxBytes: number, url: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(url, maxBytes);
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge(url, maxBytes);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function tooLarge(location: string, maxBytes: number): GatechainError {
  return new GatechainError('LEDGER_FETCH_TOO_LARGE', `${location} is larger than ${maxBytes} bytes`);
}

export function httpTileFetcher(prefix: string, options: { timeoutMs?: number } = {}): TileFetcher {
  const base = prefix.replace(/\/+$/, '');
  return {
    location: base,
    async get(path, maxBytes) {
      const url = `${base}/${path}`;
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { 'accept-encoding': 'gzip, identity' },
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        throw new GatechainError(
          'LEDGER_FETCH_FAILED',
          `could not fetch ${url}: ${(error as Error).message}`,
          {},
          {
            cause: error,
          },
        );
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new GatechainError('LEDGER_FETCH_FAILED', `${url} answered HTTP ${response.status}`);
      }
      return readLimited(response, maxBytes, url);
    },
  };
}

export function directoryTileFetcher(dir: string): TileFetcher {
  const root = resolve(dir);
  return {
    location: root,
    async get(path, maxBytes) {
      const file = resolve(root, path);
      if (!file.startsWith(root + sep))
        throw new GatechainError('LEDGER_BAD_TILE_PATH', `path escapes ${root}`);
      try {
        const info = await stat(file);
        if (info.size > maxBytes) throw tooLarge(file, maxBytes);
        return await readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

export function tileFetcherFor(location: string): TileFetcher {
  return /^https?:\/\//.test(location) ? httpTileFetcher(location) : directoryTileFetcher(join(location));
}
