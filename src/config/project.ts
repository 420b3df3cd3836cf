import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { isStoreUrl } from '../store/index.ts';
import { InputError } from '../util/errors.ts';
import { parseYamlLocated, validateLocated } from '../util/yaml.ts';

export const PROJECT_CONFIG_FILE = 'gatechain.yaml';

const configSchema = z
  .object({
    apiVersion: z.literal('gatechain.dev/v1'),
    kind: z.literal('Project'),
    /** Store directory (SQLite) or postgres:// URL. */
    store: z.string().min(1).default('.gatechain'),
    /** Chain policy file used by `verify` when --policy is not given. */
    policy: z.string().min(1).default('gatechain-policy.yaml'),
    signing: z
      .object({
        key: z.string().min(1),
        /** Environment variable holding the key's passphrase. Passphrases are never flags or config values. */
        passphraseEnv: z.string().min(1).default('GATECHAIN_KEY_PASSPHRASE'),
      })
      .strict(),
  })
  .strict();

export type ProjectConfigDocument = z.infer<typeof configSchema>;

/** A project's configuration with every path resolved against the config file's folder. */
export interface ProjectConfig {
  file?: string;
  store: string;
  policy: string;
  signing?: { key: string; passphraseEnv: string };
}

/**
 * Finds gatechain.yaml in `cwd` (or the explicit path) and resolves it. Without a file the
 * defaults apply: store .gatechain, policy gatechain-policy.yaml, no signing key.
 */
export async function loadProjectConfig(cwd: string, explicit?: string): Promise<ProjectConfig> {
  const file = explicit ? resolve(cwd, explicit) : join(cwd, PROJECT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (explicit) throw new InputError('CONFIG_NOT_FOUND', `config file not found: ${file}`, { file });
    return { store: resolve(cwd, '.gatechain'), policy: resolve(cwd, 'gatechain-policy.yaml') };
  }
  const text = readFileSync(file, 'utf8');
  const document = validateLocated(await parseYamlLocated(text, file), configSchema, file, 'CONFIG_INVALID');
  const base = dirname(file);
  return {
    file,
    store: isStoreUrl(document.store) ? document.store : resolve(base, document.store),
    policy: resolve(base, document.policy),
    signing: { key: resolve(base, document.signing.key), passphraseEnv: document.signing.passphraseEnv },
  };
}

export function renderProjectConfig(document: ProjectConfigDocument): string {
  return [
    '# gatechain project configuration (paths are relative to this file)',
    `apiVersion: ${document.apiVersion}`,
    `kind: ${document.kind}`,
    `store: ${document.store}`,
    `policy: ${document.policy}`,
    'signing:',
    `  key: ${document.signing.key}`,
    `  passphraseEnv: ${document.signing.passphraseEnv}`,
    '',
  ].join('\n');
}
