import { createHash, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { keyIdOf } from '../attest/index.ts';
import { resolvePredicateType } from '../model/predicate-types.ts';
import { InputError } from '../util/errors.ts';
import { parseYamlLocated, validateLocated } from '../util/yaml.ts';
import type { ChainPolicy, ResolvedSigner } from './model.ts';
import { type ChainPolicyDocument, chainPolicySchema } from './schema.ts';

/** Reads, validates and resolves a chain policy file. Key paths are relative to the policy file. */
export async function loadChainPolicy(path: string): Promise<ChainPolicy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError('POLICY_NOT_FOUND', `cannot read policy file: ${(error as Error).message}`, {
      file: path,
    });
  }
  return parseChainPolicy(text, { file: path, baseDir: dirname(path) });
}

export async function parseChainPolicy(
  text: string,
  options: { file?: string; baseDir?: string } = {},
): Promise<ChainPolicy> {
  const { file } = options;
  const located = await parseYamlLocated(text, file);
  const document = validateLocated(located, chainPolicySchema, file, 'POLICY_INVALID');
  checkSignerReferences(document, (path) => located.lineOf(path), file);
  const signers = new Map<string, ResolvedSigner>();
  for (const [name, signer] of Object.entries(document.signers)) {
    const line = located.lineOf(['signers', name]);
    if ('keyless' in signer) {
      signers.set(name, { name, keyless: signer.keyless });
      continue;
    }
    let pem = signer.publicKeyPem;
    if (signer.publicKey !== undefined) {
      const keyPath = resolve(options.baseDir ?? process.cwd(), signer.publicKey);
      try {
        pem = await readFile(keyPath, 'utf8');
      } catch (error) {
        throw new InputError(
          'POLICY_KEY_NOT_FOUND',
          `signer ${name}: cannot read ${keyPath}: ${(error as Error).message}`,
          {
            file,
            line,
          },
        );
      }
    }
    try {
      const publicKey = createPublicKey(pem as string);
      signers.set(name, { name, key: { keyId: keyIdOf(publicKey), publicKey, name } });
    } catch (error) {
      throw new InputError(
        'POLICY_KEY_INVALID',
        `signer ${name}: not a PEM public key (${(error as Error).message})`,
        {
          file,
          line,
        },
      );
    }
  }
  const gates = document.gates.map((gate) => ({
    ...gate,
    require: gate.require.map((requirement) => ({
      ...requirement,
      predicateType: resolvePredicateType(requirement.predicateType),
    })),
  }));
  return {
    name: document.metadata.name,
    digest: createHash('sha256').update(text).digest('hex'),
    source: file,
    signers,
    gates,
    breakGlass: document.breakGlass,
  };
}

function checkSignerReferences(
  document: ChainPolicyDocument,
  lineOf: (path: (string | number)[]) => number | undefined,
  file: string | undefined,
): void {
  const known = new Set(Object.keys(document.signers));
  const check = (name: string, path: (string | number)[]) => {
    if (!known.has(name)) {
      throw new InputError('POLICY_SIGNER_UNKNOWN', `signer "${name}" is not defined under signers:`, {
        file,
        line: lineOf(path),
      });
    }
  };
  document.gates.forEach((gate, g) => {
    gate.require.forEach((requirement, r) => {
      const base = ['gates', g, 'require', r];
      for (const [i, name] of requirement.signers.entries()) check(name, [...base, 'signers', i]);
      for (const [i, name] of requirement.skipSigners.entries()) check(name, [...base, 'skipSigners', i]);
      for (const [i, name] of (requirement.vulnerabilities?.exceptionSigners ?? []).entries()) {
        check(name, [...base, 'vulnerabilities', 'exceptionSigners', i]);
      }
    });
  });
  for (const [i, name] of (document.breakGlass?.signers ?? []).entries())
    check(name, ['breakGlass', 'signers', i]);
}
