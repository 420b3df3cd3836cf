import type { Command } from 'commander';
import { InputError } from '../../util/errors.ts';
import { printJson, readPassphrase, usageError } from '../context.ts';

export const DEFAULT_PASSPHRASE_ENV = 'GATECHAIN_KEY_PASSPHRASE';

async function generate(options: {
  algorithm: string;
  out: string;
  passphraseEnv: string;
  json?: boolean;
  force?: boolean;
}) {
  // Only the key module is loaded: no sigstore, no store.
  const { generateKeyPair, isKeyAlgorithm } = await import('../../attest/keys.ts');
  if (!isKeyAlgorithm(options.algorithm)) {
    throw usageError(`--algorithm must be ed25519 or ecdsa-p256, not ${JSON.stringify(options.algorithm)}`);
  }
  const passphrase = await readPassphrase(options.passphraseEnv, 'Passphrase for the new private key: ');
  if (passphrase === undefined) {
    throw new InputError(
      'KEY_PASSPHRASE_MISSING',
      `no passphrase: set ${options.passphraseEnv} or run in a terminal to be prompted`,
    );
  }
  const pair = generateKeyPair(options.algorithm, passphrase);
  const privatePath = `${options.out}.key`;
  const publicPath = `${options.out}.pub`;
  const { chmod, mkdir, stat, writeFile } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  if (!options.force) {
    for (const path of [privatePath, publicPath]) {
      // Checked for both files before writing either, so a refusal leaves nothing half written.
      if (
        await stat(path).then(
          () => true,
          () => false,
        )
      ) {
        throw new InputError(
          'KEY_FILE_EXISTS',
          `${path} already exists; choose another --out or pass --force`,
          {
            file: path,
          },
        );
      }
    }
  }
  // 'wx' also refuses a file created in the meantime: losing a private key is not undoable.
  const flag = options.force ? 'w' : 'wx';
  try {
    await mkdir(dirname(privatePath), { recursive: true });
    await writeFile(privatePath, pair.privateKeyPem, { mode: 0o600, flag });
    await chmod(privatePath, 0o600);
    await writeFile(publicPath, pair.publicKeyPem, { mode: 0o644, flag });
  } catch (error) {
    const exists = (error as { code?: string }).code === 'EEXIST';
    throw new InputError(
      exists ? 'KEY_FILE_EXISTS' : 'KEY_FILE_WRITE_FAILED',
      `cannot write ${privatePath} / ${publicPath}: ${(error as Error).message}`,
      { file: privatePath },
    );
  }
  if (options.json) {
    printJson({
      keyId: pair.keyId,
      algorithm: options.algorithm,
      privateKey: privatePath,
      publicKey: publicPath,
    });
  } else {
    process.stdout.write(`${pair.keyId}\n`);
    process.stderr.write(`wrote ${privatePath} (encrypted, mode 0600) and ${publicPath}\n`);
  }
}

async function showId(file: string, options: { json?: boolean }) {
  const { keyIdOf } = await import('../../attest/keys.ts');
  const { readFile, stat } = await import('node:fs/promises');
  let pem: string;
  try {
    if ((await stat(file)).size > 16 * 1024)
      throw new InputError('KEY_FILE_INVALID', 'not a public key file (too large)', { file });
    pem = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError('KEY_FILE_NOT_FOUND', `cannot read ${file}: ${(error as Error).message}`, { file });
  }
  let keyId: string;
  try {
    keyId = keyIdOf(pem);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.code, error.message, { file });
    throw error;
  }
  if (options.json) printJson({ keyId, file });
  else process.stdout.write(`${keyId}\n`);
}

export function register(program: Command): void {
  const keys = program.command('keys').description('Create signing keys and show key ids');
  keys
    .command('generate')
    .description(
      'Generate a key pair: <prefix>.key (PKCS#8, passphrase-encrypted, mode 0600) and <prefix>.pub (SPKI)',
    )
    .requiredOption('--out <prefix>', 'path prefix of the two files written')
    .option('--algorithm <name>', 'ed25519 or ecdsa-p256', 'ed25519')
    .option(
      '--passphrase-env <var>',
      'environment variable holding the passphrase (else a terminal prompt)',
      DEFAULT_PASSPHRASE_ENV,
    )
    .option('--force', 'overwrite existing key files')
    .option('--json', 'print the key id and file names as JSON')
    .action(generate);
  keys
    .command('id')
    .description('Print the key id of a public key: lowercase hex SHA-256 of its SPKI DER')
    .argument('<pubkey-file>', 'SPKI PEM public key')
    .option('--json', 'print as JSON')
    .action(showId);
}
