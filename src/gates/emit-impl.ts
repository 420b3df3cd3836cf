import type { Statement } from '../model/statement.ts';
import { GatechainError } from '../util/errors.ts';
import type { EmitOptions, EmittedAttestation } from './emit.ts';

// Replaced by the lead once signing and the store land.
export async function emitAttestationImpl(
  _statement: Statement,
  _options: EmitOptions,
): Promise<EmittedAttestation> {
  throw new GatechainError('NOT_READY', 'attestation emission is being wired up');
}
