import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, on a registry of its own (never prom-client's global one). */
export interface ServerMetrics {
  registry: Registry;
  admissionRequests: Counter<'webhook' | 'allowed' | 'mode'>;
  admissionDuration: Histogram<'webhook'>;
  admissionErrors: Counter<'webhook' | 'kind'>;
  violations: Counter<'action'>;
  breakGlass: Counter;
  cacheEvents: Counter<'event'>;
  ledgerAppendFailures: Counter<'kind'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'gatechain_' });
  return {
    registry,
    admissionRequests: new Counter({
      name: 'gatechain_admission_requests_total',
      help: 'AdmissionReview requests answered, by webhook and outcome',
      labelNames: ['webhook', 'allowed', 'mode'],
      registers: [registry],
    }),
    admissionDuration: new Histogram({
      name: 'gatechain_admission_duration_seconds',
      help: 'Time to answer an AdmissionReview',
      labelNames: ['webhook'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    admissionErrors: new Counter({
      name: 'gatechain_admission_errors_total',
      help: 'Malformed requests, internal errors and deadline expiries',
      labelNames: ['webhook', 'kind'],
      registers: [registry],
    }),
    violations: new Counter({
      name: 'gatechain_admission_violations_total',
      help: 'Policy violations found, by failure action',
      labelNames: ['action'],
      registers: [registry],
    }),
    breakGlass: new Counter({
      name: 'gatechain_admission_break_glass_total',
      help: 'Admissions granted by a break-glass attestation',
      registers: [registry],
    }),
    cacheEvents: new Counter({
      name: 'gatechain_admission_cache_events_total',
      help: 'Verification cache hits, misses and coalesced calls',
      labelNames: ['event'],
      registers: [registry],
    }),
    ledgerAppendFailures: new Counter({
      name: 'gatechain_ledger_append_failures_total',
      help: 'Ledger records (gate decisions, break-glass uses) that could not be appended, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}
