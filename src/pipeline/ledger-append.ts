import type { ProjectConfig } from '../config/index.ts';
import type { Ledger, LedgerRecord } from '../ledger/index.ts';
import { isStoreUrl } from '../store/index.ts';
import type { LedgerClaim } from './record.ts';

/** Where recorded claims go in the audit log, with the receipt that proves each one is there. */
export interface LedgerSink {
  /** Logs a stored attestation (by digest, never content). */
  append(claim: LedgerClaim): Promise<{ index: number; receipt: string }>;
  /** Logs any other record kind: a gate decision, a break-glass use, an exception, a scan-skip. */
  appendRecord(record: LedgerRecord): Promise<{ index: number; receipt: string }>;
  /** The log's current signed checkpoint and the verifier key that checks its receipts. */
  describe(): Promise<{ origin: string; size: number; verifierKey: string }>;
  close(): Promise<void>;
}

/**
 * The project's transparency log: `<store>/ledger.db` beside the embedded store, opened on the
 * first claim and kept open for the rest of the command so a batch of claims shares checkpoints.
 * A PostgreSQL store has no local ledger directory; there the ledger runs inside `gatechain serve`.
 */
export function openLedgerSink(config: ProjectConfig): LedgerSink | undefined {
  if (isStoreUrl(config.store)) return undefined;
  let ledger: Promise<Ledger> | undefined;
  const open = () => {
    ledger ??= import('../ledger/index.ts').then(({ openLedger }) =>
      openLedger({ storeDir: config.store, batchDelayMs: 0 }),
    );
    return ledger;
  };
  return {
    async appendRecord(record) {
      const log = await open();
      const { index } = await log.append(record);
      return { index, receipt: await log.receipt(index) };
    },
    append(claim) {
      return this.appendRecord({
        kind: 'attestation',
        v: 1,
        bundleDigest: `sha256:${claim.bundleDigest}`,
        predicateType: claim.predicateType,
        subjects: claim.subjects,
        signerKeyId: claim.signerKeyId,
        time: new Date().toISOString(),
      });
    },
    async describe() {
      const log = await open();
      const checkpoint = await log.checkpoint();
      return { origin: checkpoint.origin, size: checkpoint.size, verifierKey: log.verifierKey };
    },
    async close() {
      if (ledger) await (await ledger).close();
    },
  };
}
