import { PredicateType } from '../../model/predicate-types.ts';
import type { Evidence } from '../../policy/model.ts';

export const DEFAULT_BREAK_GLASS_TTL_SECONDS = 7200;
/** How far a signed issuedAt may run ahead of the store's clock before the record is refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface BreakGlassGrant {
  id: string;
  reason: string;
  ticket?: string;
  /** Key id of the break-glass signer (absent only when no verified record names it). */
  keyId?: string;
  /** When the window opened: the earlier of the signed issuedAt and the store's createdAt (absent when the chain policy granted it). */
  issuedAt?: string;
  expires: string;
}

export type BreakGlassLookup =
  | { state: 'none' }
  | { state: 'valid'; grant: BreakGlassGrant }
  | { state: 'expired'; reasons: string[] };

/**
 * Finds a break-glass attestation that admits the digest now.
 *
 * Trust assumption: the window starts at the EARLIER of two clocks — `issuedAt` in the signed
 * predicate (as trustworthy as the break-glass key) and `createdAt` recorded by the store (as
 * trustworthy as the store). Moving the window later needs both forged; a record whose signed
 * time runs ahead of the store's by more than MAX_CLOCK_SKEW_MS is refused. The lifetime is the
 * predicate's ttlSeconds capped at the configured maximum.
 */
export function findBreakGlass(
  evidence: Evidence[],
  breakGlassKeyIds: ReadonlySet<string>,
  maxTtlSeconds: number,
  now: Date,
): BreakGlassLookup {
  const reasons: string[] = [];
  const records = evidence
    .filter((e) => e.statement.predicateType === PredicateType.breakGlass && breakGlassKeyIds.has(e.keyId))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const record of records) {
    const predicate = (record.statement.predicate ?? {}) as Record<string, unknown>;
    const label = `break-glass ${typeof predicate['ticket'] === 'string' ? predicate['ticket'] : record.id.slice(0, 12)}`;
    const signed = Date.parse(String(predicate['issuedAt']));
    const stored = Date.parse(record.createdAt);
    if (Number.isNaN(signed) || Number.isNaN(stored)) {
      reasons.push(`${label} has no valid signed issuedAt time and is refused`);
      continue;
    }
    if (signed - stored > MAX_CLOCK_SKEW_MS) {
      reasons.push(`${label} claims to be issued after the store recorded it and is refused`);
      continue;
    }
    const claimed = predicate['ttlSeconds'];
    const ttl =
      typeof claimed === 'number' && Number.isFinite(claimed) && claimed > 0
        ? Math.min(claimed, maxTtlSeconds)
        : maxTtlSeconds;
    const start = Math.min(signed, stored);
    const expires = start + ttl * 1000;
    if (expires <= now.getTime()) {
      reasons.push(`${label} expired at ${new Date(expires).toISOString()}`);
      continue;
    }
    return {
      state: 'valid',
      grant: {
        id: record.id,
        reason: String(predicate['reason'] ?? ''),
        ...(typeof predicate['ticket'] === 'string' ? { ticket: predicate['ticket'] } : {}),
        keyId: record.keyId,
        issuedAt: new Date(start).toISOString(),
        expires: new Date(expires).toISOString(),
      },
    };
  }
  return reasons.length > 0 ? { state: 'expired', reasons } : { state: 'none' };
}
