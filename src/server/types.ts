import type { FastifyInstance } from 'fastify';
import type { AdmissionEngine } from '../admission/engine.ts';
import type { AdmissionRecordStore } from '../admission/report/sqlite.ts';
import type { LedgerRecord } from '../ledger/records.ts';
import type { ServerMetrics } from './metrics.ts';

/** Everything the HTTP app needs, passed in: the app builds nothing it could be handed. */
export interface AppDependencies {
  /** Absent when the server runs without admission (e.g. ledger only). */
  engine?: AdmissionEngine;
  records?: AdmissionRecordStore;
  metrics: ServerMetrics;
  /** POST target for break-glass notices. */
  notifyUrl?: string;
  /** Verification must answer within this many ms (further capped by the request's ?timeout). */
  deadlineMs: number;
  /**
   * The transparency log admission decisions and break-glass uses are appended to (the ledger
   * writer `gatechain serve` holds). Absent: no ledger records (postgres store, --no-ledger-records).
   */
  ledger?: DecisionLedger;
  /** sha256 of the policy files in force, carried by every gate-decision record. */
  policyDigest?: string;
  /** Store directory for the ledger's read API, when it should be mounted. */
  ledgerStoreDir?: string;
  /** Readiness probe: resolves when the store answers. */
  ready?: () => Promise<void>;
  now?: () => Date;
}

/** Appends one record; resolves once it is durable in the log. */
export interface DecisionLedger {
  appendRecord(record: LedgerRecord): Promise<unknown>;
}

/** One route plugin per row of the route table. */
export interface RoutePlugin {
  name: string;
  enabled(deps: AppDependencies): boolean;
  register(app: FastifyInstance, deps: AppDependencies): Promise<void> | void;
}
