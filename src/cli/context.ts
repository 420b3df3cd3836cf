import { GatechainError, isGatechainError } from '../util/errors.ts';

/** Exit codes shared by every command: 0 pass, 1 policy failure, 2 bad usage or input. */
export const ExitCode = { ok: 0, policyFailure: 1, usage: 2 } as const;

export const DEFAULT_STORE_DIR = '.gatechain';

/** Resolves the store directory: --store, then GATECHAIN_STORE, then ./.gatechain. */
export function storeDirFrom(option: string | undefined): string {
  return option || process.env['GATECHAIN_STORE'] || DEFAULT_STORE_DIR;
}

/**
 * The store a command works on: --store, then GATECHAIN_STORE, then the project config
 * (gatechain.yaml in the working directory), then ./.gatechain — the same order for every command.
 */
export async function resolveStoreDir(option: string | undefined): Promise<string> {
  if (option || process.env['GATECHAIN_STORE']) return storeDirFrom(option);
  const { loadProjectConfig } = await import('../config/index.ts');
  return (await loadProjectConfig(process.cwd())).store;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints an error for a human (or as JSON with --json) and sets the exit code. */
export function reportError(error: unknown, json: boolean): void {
  if (isGatechainError(error)) {
    if (json) process.stdout.write(`${JSON.stringify({ error: error.toJSON() })}\n`);
    else process.stderr.write(`gatechain: ${error.describe()}\n`);
    process.exitCode = ExitCode.usage;
    return;
  }
  const system = error as NodeJS.ErrnoException;
  if (system instanceof Error && typeof system.code === 'string' && typeof system.path === 'string') {
    // A file the user named could not be read or written: input at fault, not gatechain.
    const wrapped = new GatechainError(
      `FILE_${system.code}`,
      `${system.syscall ?? 'access'} failed: ${system.code}`,
      {
        file: system.path,
      },
    );
    reportError(wrapped, json);
    return;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`gatechain: internal error: ${message}\n`);
  process.exitCode = ExitCode.usage;
}

export function usageError(message: string): GatechainError {
  return new GatechainError('USAGE', message);
}

export { readPassphrase } from '../util/passphrase.ts';
