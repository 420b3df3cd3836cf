import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { admissionRoutes } from './routes/admission.ts';
import { healthRoutes } from './routes/health.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { metricsRoutes } from './routes/metrics.ts';
import type { AppDependencies, RoutePlugin } from './types.ts';

/** The route table: adding an API is one plugin file and one row here. */
export const ROUTES: RoutePlugin[] = [healthRoutes, metricsRoutes, admissionRoutes, ledgerRoutes];

/** Kubernetes objects top out around 1.5 MiB; AdmissionReview carries object and oldObject. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface AppOptions {
  https?: { key: string | Buffer; cert: string | Buffer };
  logger?: FastifyServerOptions['logger'];
  routes?: RoutePlugin[];
}

/**
 * Builds the Fastify app from its dependencies. Errors the handlers do not turn into answers
 * become JSON with a code: malformed input is a 400, never a crash.
 */
export async function buildApp(deps: AppDependencies, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: MAX_BODY_BYTES,
    ...(options.https ? { https: options.https } : {}),
  }) as unknown as FastifyInstance;
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    reply.code(status).send({
      error: {
        code: status === 500 ? 'INTERNAL' : (error.code ?? 'BAD_REQUEST'),
        message: status === 500 ? 'internal error' : error.message,
      },
    });
  });
  for (const route of options.routes ?? ROUTES) {
    if (route.enabled(deps)) await route.register(app, deps);
  }
  return app;
}
