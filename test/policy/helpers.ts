import { generateKeyPair } from '../../src/attest/index.ts';
import type { Evidence } from '../../src/policy/model.ts';

export const SOURCE = { gitCommit: '1'.repeat(40) };
export const ARTIFACT = { sha256: 'a'.repeat(64) };

/** Public keys for the three roles a policy names, written inline into policy YAML. */
export function roleKeys() {
  const make = () => generateKeyPair('ed25519', 'test passphrase');
  return { ci: make(), security: make(), breakGlass: make() };
}

export function policyYaml(keys: ReturnType<typeof roleKeys>, gates: string, extra = ''): string {
  const pem = (text: string) => `|\n${text.trim().replace(/^/gm, '      ')}`;
  return `apiVersion: gatechain.dev/v1
kind: ChainPolicy
metadata:
  name: test
signers:
  ci:
    publicKeyPem: ${pem(keys.ci.publicKeyPem)}
  security:
    publicKeyPem: ${pem(keys.security.publicKeyPem)}
  break-glass:
    publicKeyPem: ${pem(keys.breakGlass.publicKeyPem)}
gates:
${gates}${extra}`;
}

let counter = 0;
export function evidence(
  predicateType: string,
  predicate: unknown,
  signer: string,
  options: { subject?: Record<string, string>; createdAt?: string } = {},
): Evidence {
  counter++;
  return {
    id: counter.toString(16).padStart(64, '0'),
    statement: {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: options.subject ?? SOURCE }],
      predicateType,
      predicate,
    },
    keyId: `key-${signer}`,
    signerNames: [signer],
    createdAt: options.createdAt ?? new Date(Date.UTC(2026, 11, 1, 0, 0, counter)).toISOString(),
  };
}
