import type { Statement } from '../model/statement.ts';

export interface EmitOptions {
  /** Gate number 1–5 the attestation belongs to, indexed by the store. */
  gate: number;
  /** Store directory (SQLite) or a postgres:// URL. */
  store: string;
  /** Private key file; defaults to the project's configured signing key. */
  keyPath?: string;
  /** Environment variable holding the key's passphrase (never a flag). */
  passphraseEnv?: string;
}

export interface EmittedAttestation {
  id: string;
  bundle: object;
}

/**
 * Signs a statement with the project's key, stores the bundle and appends it to the ledger.
 * The one path every gate uses to record a claim.
 */
export async function emitAttestation(
  statement: Statement,
  options: EmitOptions,
): Promise<EmittedAttestation> {
  const { emitAttestationImpl } = await import('./emit-impl.ts');
  return emitAttestationImpl(statement, options);
}
