import type { FastifyInstance } from 'fastify';
import type { AdmissionEngine } from '../admission/engine.ts';
import type { AdmissionRecordStore } from '../admission/report/sqlite.ts';
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
  /** Store directory for the ledger's read API, when it should be mounted. */
  ledgerStoreDir?: string;
  /** Readiness probe: resolves when the store answers. */
  ready?: () => Promise<void>;
  now?: () => Date;
}

/** One route plugin per row of the route table. */
export interface RoutePlugin {
  name: string;
  enabled(deps: AppDependencies): boolean;
  register(app: FastifyInstance, deps: AppDependencies): Promise<void> | void;
}
