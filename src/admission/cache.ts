/**
 * A bounded cache of verification outcomes whose entries never outlive their own `expiresAt`
 * (the earliest expiry of any exception or break-glass they relied on, capped by a maximum TTL),
 * plus singleflight: concurrent callers of the same key share one computation.
 */
export class VerificationCache<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();
  readonly #inflight = new Map<string, Promise<T>>();
  readonly maxEntries: number;
  readonly maxTtlMs: number;
  readonly #clock: () => number;
  hits = 0;
  misses = 0;
  coalesced = 0;

  constructor(options: { maxEntries?: number; maxTtlMs?: number; clock?: () => number } = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxTtlMs = options.maxTtlMs ?? 60_000;
    this.#clock = options.clock ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    // Written so that a NaN expiry counts as expired: an unparseable time must never mean "forever".
    if (!(entry.expiresAt > this.#clock())) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores a value until min(now + maxTtl, validUntil); nothing is stored if that is already past. */
  set(key: string, value: T, validUntil?: number): void {
    const now = this.#clock();
    const expiresAt = Math.min(now + this.maxTtlMs, validUntil ?? Number.POSITIVE_INFINITY);
    if (!(expiresAt > now) || this.maxTtlMs <= 0) return;
    if (this.#entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt });
  }

  /**
   * Returns the cached value, or runs `compute` once for all concurrent callers of `key`.
   * `store(value)` says whether and until when the result may be cached.
   */
  async getOrCompute(
    key: string,
    compute: () => Promise<T>,
    store: (value: T) => { cache: boolean; validUntil?: number },
  ): Promise<T> {
    const cached = this.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    const running = this.#inflight.get(key);
    if (running) {
      this.coalesced++;
      return running;
    }
    this.misses++;
    const promise = singleflight(this.#inflight, key, compute);
    const value = await promise;
    const decision = store(value);
    if (decision.cache) this.set(key, value, decision.validUntil);
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Runs `compute` once per key among concurrent callers; the key is released when it settles. */
export function singleflight<T>(
  inflight: Map<string, Promise<T>>,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const running = inflight.get(key);
  if (running) return running;
  const promise = (async () => {
    try {
      return await compute();
    } finally {
      inflight.delete(key);
    }
  })();
  inflight.set(key, promise);
  return promise;
}
