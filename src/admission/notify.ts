import type { ResourceRef } from './engine.ts';
import type { BreakGlassGrant } from './verify/break-glass.ts';

export interface BreakGlassNotice {
  event: 'gatechain.break-glass';
  time: string;
  resource: ResourceRef;
  image: string;
  digest: string;
  grant: BreakGlassGrant;
}

/**
 * POSTs a break-glass notice as JSON to the configured webhook. Bounded by a timeout; failures
 * are returned (logged by the caller), never thrown into the admission path.
 */
export async function postNotice(
  url: string,
  notice: BreakGlassNotice,
  timeoutMs = 3000,
): Promise<{ ok: boolean; error?: string }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notice),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? { ok: true } : { ok: false, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
