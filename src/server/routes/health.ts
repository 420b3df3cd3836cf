import type { RoutePlugin } from '../types.ts';

/** Liveness answers while the event loop runs; readiness also asks the store. */
export const healthRoutes: RoutePlugin = {
  name: 'health',
  enabled: () => true,
  register(app, deps) {
    app.get('/healthz', async () => ({ status: 'ok' }));
    app.get('/readyz', async (_request, reply) => {
      try {
        await deps.ready?.();
        return { status: 'ready' };
      } catch (error) {
        reply.code(503);
        return { status: 'not ready', reason: (error as Error).message };
      }
    });
  },
};
