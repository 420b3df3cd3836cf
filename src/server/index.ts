/** The HTTP server: a Fastify app built from its dependencies, routes registered from a table. */
export { buildApp, MAX_BODY_BYTES, ROUTES } from './app.ts';
export { createMetrics, type ServerMetrics } from './metrics.ts';
export { deadlineFor } from './routes/admission.ts';
export type { AppDependencies, DecisionLedger, RoutePlugin } from './types.ts';
