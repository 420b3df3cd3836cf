import { GatechainError, isGatechainError } from '../util/errors.ts';

/** Exit codes shared by every command: 0 pass, 1 policy failure, 2 bad usage or input. */
export const ExitCode = { ok: 0, policyFailure: 1, usage: 2 } as const;

export const DEFAULT_STORE_DIR = '.gatechain';

/** Resolves the store directory: --store, then GATECHAIN_STORE, then ./.gatechain. */
export function storeDirFrom(option: string | undefined): string {
  return option ?? process.env['GATECHAIN_STORE'] ?? DEFAULT_STORE_DIR;
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
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`gatechain: internal error: ${message}\n`);
  process.exitCode = ExitCode.usage;
}

/** Reads a passphrase from the named environment variable, or from the terminal when interactive. */
export async function readPassphrase(envName: string, prompt: string): Promise<string | undefined> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) return undefined;
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Mute echo: readline writes typed characters through _writeToOutput.
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write(prompt);
  muted._writeToOutput = () => {};
  try {
    return await rl.question('');
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

export function usageError(message: string): GatechainError {
  return new GatechainError('USAGE', message);
}
