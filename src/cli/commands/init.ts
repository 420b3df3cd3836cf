import type { Command } from 'commander';
import { isKeyAlgorithm } from '../../attest/index.ts';
import { printJson, readPassphrase, usageError } from '../context.ts';

export function register(program: Command): void {
  program
    .command('init')
    .description('Create gatechain.yaml, a five-gate chain policy and signing keys in a project')
    .argument('[dir]', 'project directory', '.')
    .option('--algorithm <alg>', 'key algorithm: ed25519 or ecdsa-p256', 'ed25519')
    .option(
      '--passphrase-env <var>',
      'environment variable holding the key passphrase',
      'GATECHAIN_KEY_PASSPHRASE',
    )
    .option('--force', 'overwrite an existing configuration')
    .option('--json', 'print what was created as JSON')
    .action(async (dir: string, options) => {
      if (!isKeyAlgorithm(options.algorithm)) throw usageError(`--algorithm must be ed25519 or ecdsa-p256`);
      const passphrase = await readPassphrase(options.passphraseEnv, 'passphrase for the new keys: ');
      if (!passphrase)
        throw usageError(`set ${options.passphraseEnv} (or run interactively) to encrypt the keys`);
      const { initProject } = await import('../../config/init.ts');
      const result = await initProject(dir, {
        algorithm: options.algorithm,
        passphrase,
        passphraseEnv: options.passphraseEnv,
        force: options.force,
      });
      if (options.json) {
        printJson(result);
        return;
      }
      process.stdout.write(`created ${result.config}\ncreated ${result.policy}\n`);
      for (const [role, key] of Object.entries(result.keys)) {
        process.stdout.write(`key ${role.padEnd(11)} ${key.keyId.slice(0, 16)}  ${key.publicKey}\n`);
      }
      process.stdout.write('Keep .gatechain/ out of version control; share only the .pub files.\n');
    });
}
