import { EngineL1, type CacheEntry, type CachePriority, type EngineL1Options, type L1Adapter } from '@hypercache/hybrid-cache';

/** Options of {@link NearCacheL1}. */
export interface NearCacheL1Options {
  /** Serve only while this says yes (the backplane's `healthy`). */
  readonly isHealthy: () => boolean;
  /** Upper bound on an entry's life in L1, ms, whatever its duration. Default 60 000. */
  readonly localTtlCapMs?: number;
  /** The L1 underneath. Default a new bounded `EngineL1`. */
  readonly inner?: L1Adapter | EngineL1Options;
  /** Epoch ms clock. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The near-cache's L1 (issue 17): an L1 adapter that (1) caps every entry's logical and physical
 * expiry at `now + localTtlCapMs`, bounding staleness even if every invalidation is lost, and
 * (2) neither serves nor stores while the cluster event streams are not all connected
 * (`isHealthy()`), so nothing missed during an outage is served; the backplane drops L1 when the
 * streams are back. Everything else is delegated.
 */
export class NearCacheL1 implements L1Adapter {
  readonly #inner: L1Adapter;
  readonly #isHealthy: () => boolean;
  readonly #capMs: number;
  readonly #now: () => number;
  #bypassed = 0;

  constructor(o: NearCacheL1Options) {
    if (typeof o?.isHealthy !== 'function') throw new TypeError('isHealthy must be a function');
    const cap = o.localTtlCapMs ?? 60_000;
    if (!Number.isFinite(cap) || cap <= 0) throw new TypeError(`localTtlCapMs must be a positive number, got ${cap}`);
    this.#inner = o.inner !== undefined && typeof (o.inner as L1Adapter).get === 'function' ? (o.inner as L1Adapter) : new EngineL1(o.inner as EngineL1Options | undefined);
    this.#isHealthy = o.isHealthy;
    this.#capMs = cap;
    this.#now = o.now ?? Date.now;
  }

  get measuresCost(): boolean | undefined {
    return this.#inner.measuresCost;
  }

  /** Reads refused because the streams were not healthy. */
  get bypassed(): number {
    return this.#bypassed;
  }

  get(key: string): CacheEntry | undefined {
    if (!this.#isHealthy()) {
      this.#bypassed++;
      return undefined;
    }
    return this.#inner.get(key);
  }

  set(key: string, entry: CacheEntry, cost: number, priority: CachePriority): void {
    if (!this.#isHealthy()) return;
    this.#inner.set(key, this.#cap(entry), cost, priority);
  }

  delete(key: string): boolean {
    return this.#inner.delete(key);
  }

  compareAndSwap(key: string, expected: CacheEntry, next: CacheEntry): boolean {
    return this.#inner.compareAndSwap(key, expected, this.#cap(next));
  }

  keys(): Iterable<string> {
    return this.#inner.keys();
  }

  count(): number {
    return this.#inner.count();
  }

  clear(): void {
    this.#inner.clear();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #cap(e: CacheEntry): CacheEntry {
    const limit = this.#now() + this.#capMs;
    if (e.physicalExpiry <= limit && e.logicalExpiry <= limit) return e;
    return { ...e, logicalExpiry: Math.min(e.logicalExpiry, limit), physicalExpiry: Math.min(e.physicalExpiry, limit) };
  }
}
