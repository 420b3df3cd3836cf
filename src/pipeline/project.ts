import { readFile } from 'node:fs/promises';
import { loadSigner } from '../attest/index.ts';
import type { Signer } from '../attest/types.ts';
import { loadProjectConfig, type ProjectConfig } from '../config/index.ts';
import type { Store } from '../store/index.ts';
import { GatechainError, InputError } from '../util/errors.ts';
import { readPassphrase } from '../util/passphrase.ts';

export interface ProjectOptions {
  config?: string;
  store?: string;
  key?: string;
  passphraseEnv?: string;
}

/** Resolves the project's configuration, with command-line options taking precedence. */
export async function resolveProject(options: ProjectOptions): Promise<ProjectConfig> {
  const config = await loadProjectConfig(process.cwd(), options.config);
  const store = options.store || process.env['GATECHAIN_STORE'] || config.store;
  const key = options.key ?? config.signing?.key;
  const passphraseEnv = options.passphraseEnv ?? config.signing?.passphraseEnv ?? 'GATECHAIN_KEY_PASSPHRASE';
  return { ...config, store, ...(key ? { signing: { key, passphraseEnv } } : {}) };
}

export async function openProjectStore(config: ProjectConfig): Promise<Store> {
  const { openStore, storeOptionsFrom } = await import('../store/index.ts');
  return openStore(storeOptionsFrom(config.store));
}

/** Loads the signing key named by the config; the passphrase comes from its env var or a prompt. */
export async function loadProjectSigner(config: ProjectConfig): Promise<Signer> {
  if (!config.signing) {
    throw new GatechainError(
      'SIGNING_KEY_NOT_CONFIGURED',
      'no signing key: run `gatechain init` or pass --key <file>',
    );
  }
  const { key, passphraseEnv } = config.signing;
  let pem: string;
  try {
    pem = await readFile(key, 'utf8');
  } catch (error) {
    throw new InputError('SIGNING_KEY_NOT_FOUND', `cannot read signing key: ${(error as Error).message}`, {
      file: key,
    });
  }
  const passphrase = await readPassphrase(passphraseEnv, `passphrase for ${key}: `);
  if (passphrase === undefined) {
    throw new GatechainError(
      'KEY_PASSPHRASE_MISSING',
      `set ${passphraseEnv} to the key's passphrase (or run interactively to be prompted)`,
    );
  }
  return loadSigner(pem, passphrase, key);
}
