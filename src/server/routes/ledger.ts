import { GatechainError } from '../../util/errors.ts';
import type { RoutePlugin } from '../types.ts';

/** Mounts the ledger's tiles read API from src/ledger/http.ts, loaded only when asked for. */
export const ledgerRoutes: RoutePlugin = {
  name: 'ledger',
  enabled: (deps) => deps.ledgerStoreDir !== undefined,
  async register(app, deps) {
    let module: typeof import('../../ledger/http.ts');
    try {
      module = await import('../../ledger/http.ts');
    } catch (cause) {
      throw new GatechainError(
        'LEDGER_HTTP_UNAVAILABLE',
        'the ledger read API (src/ledger/http.ts) is not available in this build; run without --ledger',
        {},
        { cause },
      );
    }
    if (typeof module.registerLedgerRoutes !== 'function') {
      throw new GatechainError(
        'LEDGER_HTTP_UNAVAILABLE',
        'src/ledger/http.ts does not export registerLedgerRoutes',
      );
    }
    await module.registerLedgerRoutes(app, { storeDir: deps.ledgerStoreDir! });
  },
};
