import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { generateKeyPair } from '../attest/index.ts';
import type { KeyAlgorithm } from '../attest/types.ts';
import { GatechainError } from '../util/errors.ts';
import { defaultPolicyYaml } from './default-policy.ts';
import { PROJECT_CONFIG_FILE, renderProjectConfig } from './project.ts';

export const PROJECT_KEY_ROLES = ['ci', 'security', 'break-glass'] as const;
export type KeyRole = (typeof PROJECT_KEY_ROLES)[number];

export interface InitOptions {
  algorithm: KeyAlgorithm;
  passphrase: string;
  passphraseEnv: string;
  force?: boolean;
}

export interface InitResult {
  config: string;
  policy: string;
  keys: Record<KeyRole, { privateKey: string; publicKey: string; keyId: string }>;
}

/**
 * Creates a project: gatechain.yaml, a five-gate chain policy, and three key pairs (ci signs gate
 * claims, security signs vuln-exceptions, break-glass signs emergencies), private keys encrypted.
 * Refuses to overwrite an existing project unless forced.
 */
export async function initProject(dir: string, options: InitOptions): Promise<InitResult> {
  const configPath = join(dir, PROJECT_CONFIG_FILE);
  const policyPath = join(dir, 'gatechain-policy.yaml');
  if (!options.force && (existsSync(configPath) || existsSync(policyPath))) {
    throw new GatechainError(
      'PROJECT_EXISTS',
      `${configPath} or ${policyPath} already exists (use --force to overwrite)`,
    );
  }
  const keyDir = join(dir, '.gatechain', 'keys');
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  // The store holds private keys and the database: keep it out of version control, and so out
  // of the secrets scan of the project tree, which honours .gitignore files.
  await writeFile(join(dir, '.gatechain', '.gitignore'), '*\n');
  const keys = {} as InitResult['keys'];
  for (const role of PROJECT_KEY_ROLES) {
    const pair = generateKeyPair(options.algorithm, options.passphrase);
    const privateKey = join(keyDir, `${role}.key`);
    const publicKey = join(keyDir, `${role}.pub`);
    await writeFile(privateKey, pair.privateKeyPem, { mode: 0o600 });
    await chmod(privateKey, 0o600);
    await writeFile(publicKey, pair.publicKeyPem);
    keys[role] = { privateKey, publicKey, keyId: pair.keyId };
  }
  const relKeyDir = relative(dir, keyDir);
  await writeFile(
    configPath,
    renderProjectConfig({
      apiVersion: 'gatechain.dev/v1',
      kind: 'Project',
      store: '.gatechain',
      policy: 'gatechain-policy.yaml',
      signing: { key: `${relKeyDir}/ci.key`, passphraseEnv: options.passphraseEnv },
    }),
  );
  await writeFile(policyPath, defaultPolicyYaml(relKeyDir));
  return { config: configPath, policy: policyPath, keys };
}
