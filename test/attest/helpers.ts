import {
  type GeneratedKeyPair,
  generateKeyPair,
  loadSigner,
  loadTrustedKey,
} from '../../src/attest/index.ts';
import type { KeyAlgorithm, Signer, TrustedKey } from '../../src/attest/types.ts';
import { STATEMENT_TYPE_V1, type Statement } from '../../src/model/statement.ts';
import { GatechainError } from '../../src/util/errors.ts';

export const PASSPHRASE = 'correct horse battery staple';

export interface TestKey {
  pair: GeneratedKeyPair;
  signer: Signer;
  trusted: TrustedKey;
}

export function makeKey(algorithm: KeyAlgorithm, name: string): TestKey {
  const pair = generateKeyPair(algorithm, PASSPHRASE);
  return {
    pair,
    signer: loadSigner(pair.privateKeyPem, PASSPHRASE),
    trusted: loadTrustedKey(pair.publicKeyPem, name),
  };
}

export const ARTIFACT_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sampleStatement(sha256 = ARTIFACT_SHA256): Statement {
  return {
    _type: STATEMENT_TYPE_V1,
    subject: [{ name: 'app.tar', digest: { sha256 } }],
    predicateType: 'https://in-toto.io/attestation/test-result/v0.1',
    predicate: { result: 'PASSED', configuration: [] },
  };
}

/** assert.throws predicate: a GatechainError with exactly this code. */
export function withCode(code: string): (error: unknown) => boolean {
  return (error: unknown) => {
    if (!(error instanceof GatechainError)) throw error;
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
    return true;
  };
}

/** Runs fn and reports whether it threw only GatechainError (anything else is rethrown). */
export function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof GatechainError)) throw error;
  }
}
