import type { FastifyBaseLogger } from 'fastify';
import type { ValidationOutcome } from '../../admission/engine.ts';
import { breakGlassRecords } from '../../admission/report/ledger-records.ts';
import type { LedgerRecord } from '../../ledger/records.ts';
import { GatechainError } from '../../util/errors.ts';
import type { AppDependencies } from '../types.ts';

/**
 * Appends the break-glass records of an outcome and waits until they are durable: break-glass is
 * rare and its audit trail must not be lost, so the admission answer waits for it. A failure
 * becomes a typed error the route turns into its fail-closed (Enforce) or audit answer.
 */
export async function appendBreakGlassUses(
  outcome: ValidationOutcome,
  deps: AppDependencies,
  time: Date,
): Promise<void> {
  if (!deps.ledger || outcome.breakGlass.length === 0) return;
  try {
    await Promise.all(breakGlassRecords(outcome, time).map((record) => deps.ledger!.appendRecord(record)));
  } catch (cause) {
    deps.metrics.ledgerAppendFailures.inc({ kind: 'break-glass' });
    throw new GatechainError(
      'ADMISSION_LEDGER_APPEND_FAILED',
      `the break-glass use could not be recorded in the ledger: ${(cause as Error).message}`,
      {},
      { cause },
    );
  }
}

/**
 * Appends a gate-decision record without waiting for it: the ledger's group commit must not add
 * latency to admission. A failed append is logged and counted, never turned into a different
 * answer; a crash loses at most the decisions of the batch not yet committed.
 */
export function appendDecision(
  build: () => LedgerRecord | undefined,
  deps: AppDependencies,
  log: FastifyBaseLogger,
): void {
  const ledger = deps.ledger;
  if (!ledger) return;
  // Built inside the guard too: nothing about the record may change the answer already decided.
  void Promise.resolve()
    .then(() => {
      const record = build();
      return record && ledger.appendRecord(record);
    })
    .catch((error: unknown) => {
      deps.metrics.ledgerAppendFailures.inc({ kind: 'gate-decision' });
      log.error({ err: error }, 'could not append the decision to the ledger');
    });
}
