import type { Statement } from '../model/statement.ts';
import { loadProjectSigner, openProjectStore, resolveProject } from '../pipeline/project.ts';
import { recordStatement } from '../pipeline/record.ts';
import type { EmitOptions, EmittedAttestation } from './emit.ts';

export async function emitAttestationImpl(
  statement: Statement,
  options: EmitOptions,
): Promise<EmittedAttestation> {
  const { openLedgerSink } = await import('../pipeline/ledger-append.ts');
  const config = await resolveProject({
    store: options.store,
    key: options.keyPath,
    passphraseEnv: options.passphraseEnv,
  });
  const signer = await loadProjectSigner(config);
  const store = await openProjectStore(config);
  const ledger = openLedgerSink(config);
  try {
    const result = await recordStatement({ store, signer, ledger }, statement, {
      gate: options.gate,
      source: `gate:${options.gate}`,
    });
    return { id: result.id, bundle: result.bundle };
  } finally {
    await ledger?.close();
    await store.close();
  }
}
