import type { RoutePlugin } from '../types.ts';

export const metricsRoutes: RoutePlugin = {
  name: 'metrics',
  enabled: () => true,
  register(app, deps) {
    app.get('/metrics', async (_request, reply) => {
      const { registry, cacheEvents } = deps.metrics;
      const cache = deps.engine?.cache;
      if (cache) {
        // Mirror the cache's own counters so the scrape shows them without touching the hot path.
        cacheEvents.reset();
        cacheEvents.inc({ event: 'hit' }, cache.hits);
        cacheEvents.inc({ event: 'miss' }, cache.misses);
        cacheEvents.inc({ event: 'coalesced' }, cache.coalesced);
      }
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
};
