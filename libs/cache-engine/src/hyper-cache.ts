import type { Backend } from './backends/backend';
import { checkCapacity } from './backends/in-memory-backend';
import { CacheMaintenance } from './cache-maintenance';
import type { CacheService, GetMultipleResult, ValueOrLoader } from './cache-service';
import type { EngineCounters } from './engine-counters';
import { CacheError, CacheFullError, InvalidExpirationError, InvalidKeyError, KeyExpiredError, KeyNotFoundError, NilValueError } from './errors';
import { NO_EVICTION, type EvictionAlgorithm } from './eviction-algorithm';
import { AbsoluteExpiryPolicy } from './expiry/absolute-expiry.policy';
import type { ExpiryPolicy } from './expiry/expiry-policy';
import { SlidingExpiryPolicy } from './expiry/sliding-expiry.policy';
import type { HybridLogicalClock } from './hybrid-logical-clock';
import { resolveHyperCacheOptions, type HyperCacheOptions, type ResolvedHyperCacheOptions } from './hyper-cache-options';
import { copyItem, isValidKey, newItem, type CacheItem } from './item';
import { filterFunc, type ListFilter } from './list-filters';
import { planEvictionTracking } from './eviction-tracking';
import type { SizeOf } from './size-of';
import type { StatAggregate, StatsCollector } from './stats/stats-collector';

/** `evict()` calls tried per victim; guards against caller-supplied algorithms that yield stale keys or end a lap empty. */
const MAX_EVICT_ATTEMPTS = 64;

/**
 * The cache engine core (engine.md): validation, size accounting (§4), versions (dist-protocol.md
 * §4), expiry (§3), eviction (§5), list filters (§6), stats (§7) over a pluggable {@link Backend}.
 *
 * Every stored key is tracked by the eviction algorithm (its `length` equals `count()`), sized by
 * capacity, not maxEvictionCount (§5). A new key evicts one victim *before* it is inserted when
 * count ≥ capacity (proactive mode) or ≥ 2 × capacity (loop mode: a hard bound while the loop lags),
 * so it is never its own victim and no algorithm ever drops a key silently.
 */
export class HyperCache<V = unknown> implements CacheService<V> {
  readonly #o: ResolvedHyperCacheOptions<V>;
  readonly #backend: Backend<V>;
  readonly #now: () => number;
  readonly #nodeId: string;
  readonly #sizeOf: SizeOf<V>;
  readonly #clock: HybridLogicalClock;
  readonly #expiry: ExpiryPolicy;
  readonly #stats: StatsCollector;
  readonly #maintenance: CacheMaintenance;
  readonly #touchBackend: ((item: CacheItem<V>) => void) | undefined;
  readonly #inflight = new Map<string, Promise<V>>();
  #algorithm: EvictionAlgorithm<string> = NO_EVICTION;
  #trackingCapacity = 0;
  #capacity: number;
  #maxEvictionCount: number;
  /** Count at which a new key first evicts one item: capacity (proactive mode), 2 × capacity (loop mode), 0 = never. */
  #insertBound = 0;
  readonly #maxBytes: number;
  #allocation = 0;
  #hits = 0;
  #misses = 0;
  #expiredReads = 0;
  #evictions = 0;
  #expirations = 0;
  #stopping: Promise<void> | undefined;

  /** Builds an engine; options are resolved by {@link resolveHyperCacheOptions} (throws `InvalidOptionError`). */
  constructor(options: HyperCacheOptions<V> = {}) {
    const o = resolveHyperCacheOptions(options);
    this.#o = o;
    this.#backend = o.backend;
    this.#now = o.now;
    this.#nodeId = o.nodeId;
    this.#sizeOf = o.sizeOf;
    this.#clock = o.clock;
    this.#expiry = o.expiry === 'absolute' ? new AbsoluteExpiryPolicy() : new SlidingExpiryPolicy();
    this.#stats = o.statsCollector;
    this.#capacity = o.capacity;
    this.#maxEvictionCount = o.maxEvictionCount;
    this.#maxBytes = o.maxCacheSizeBytes;
    const backend = this.#backend;
    this.#touchBackend = typeof backend.touch === 'function' ? (item) => backend.touch!(item) : undefined;
    this.#configureEviction();
    this.#maintenance = new CacheMaintenance({
      now: o.now,
      stats: o.statsCollector,
      logger: o.logger,
      expirationIntervalMs: o.expirationIntervalMs,
      evictionIntervalMs: o.evictionIntervalMs,
      expirationTriggerDebounceMs: o.expirationTriggerDebounceMs,
      host: {
        count: () => this.#backend.count(),
        capacity: () => this.#capacity,
        maxEvictionCount: () => this.#maxEvictionCount,
        algorithmName: () => this.#algorithm.name,
        evictOne: () => this.#evictOne(),
        removeExpired: (nowMs) => this.#removeExpired(nowMs),
      },
    });
  }

  /** The node ID stamped as `origin` on versions. */
  get nodeId(): string {
    return this.#nodeId;
  }

  /** The version clock (dist backends call `observe` on items they apply). */
  get clock(): HybridLogicalClock {
    return this.#clock;
  }

  /** The storage backend. */
  get backend(): Backend<V> {
    return this.#backend;
  }

  /** The engine's stats collector (pass it to `statsMiddleware`). */
  get statsCollector(): StatsCollector {
    return this.#stats;
  }

  /** The eviction algorithm currently tracking keys (`none` while nothing can be evicted). */
  get evictionAlgorithm(): EvictionAlgorithm<string> {
    return this.#algorithm;
  }

  /** Starts the expiration and eviction loops (idempotent; no-op after `stop`). */
  start(): void {
    this.#maintenance.start();
  }

  /** Stops the loops, waits for queued background jobs, then stops the backend (engine.md §2, TS MUST). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#maintenance.stop().then(() => this.#backend.stop());
    return this.#stopping;
  }

  /** Resolves when no triggered sweep or eviction pass is queued or running. */
  idle(): Promise<void> {
    return this.#maintenance.idle();
  }

  /**
   * Stores `value` under `key` (engine.md §2). `ttlMs` 0 = never expires. Returns the stored record
   * as a read-only live view (reads update its access fields). Throws `InvalidKeyError`,
   * `NilValueError`, `InvalidExpirationError` (all `BAD_REQUEST`) or `CacheFullError` (`INTERNAL`).
   */
  set(key: string, value: V, ttlMs = 0): Readonly<CacheItem<V>> {
    const bad = this.#writeError(key, ttlMs);
    if (bad !== undefined) throw bad;
    if (value === undefined || value === null) throw new NilValueError(key);
    const size = this.#sizeOf(value);
    const existing = this.#backend.get(key);
    // TS MUST (engine.md §4): an overwrite releases the old size.
    const allocation = existing === undefined ? this.#allocation + size : this.#allocation + size - existing.size;
    if (this.#maxBytes !== 0 && allocation > this.#maxBytes) throw new CacheFullError(key, size, this.#allocation, this.#maxBytes);
    const now = this.#now();
    const version = this.#clock.issue(now, existing === undefined ? 0 : existing.version);
    const item = newItem(key, value, size, version, this.#nodeId, now, ttlMs);
    if (existing === undefined) {
      // Evict before inserting so the new key is never its own victim (it would be under LFU).
      if (this.#insertBound !== 0 && this.#backend.count() >= this.#insertBound) this.#evictOne();
      this.#allocation += size;
    } else {
      this.#allocation = allocation;
    }
    this.#backend.set(item);
    this.#algorithm.set(key);
    return item;
  }

  /** The value, or `undefined` when missing or expired (an expired read triggers a sweep). A hit touches the item. */
  get(key: string): V | undefined {
    const item = this.#read(key);
    return item === undefined ? undefined : item.value;
  }

  /** Like `get` but returns a frozen copy of the whole record. */
  getWithInfo(key: string): Readonly<CacheItem<V>> | undefined {
    const item = this.#read(key);
    return item === undefined ? undefined : copyItem(item);
  }

  /**
   * Hit → the stored value (touched). Expired-but-present → rejects `KeyExpiredError` without
   * overwriting (upstream quirk, engine.md §2). Miss → stores the value (or the loader's result)
   * like `set`; concurrent callers for one missing key share a single loader run.
   */
  getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs = 0): Promise<V> {
    const item = this.#backend.get(key);
    if (item !== undefined) {
      const now = this.#now();
      if (item.ttlMs !== 0 && now > item.expiresAtMs) {
        this.#expiredRead();
        return Promise.reject(new KeyExpiredError(key));
      }
      this.#hit(item, now);
      return Promise.resolve(item.value);
    }
    this.#misses++;
    const running = this.#inflight.get(key);
    if (running !== undefined) return running;
    if (typeof loader !== 'function') return this.#setAsPromise(key, loader, ttlMs);
    const bad = this.#writeError(key, ttlMs);
    if (bad !== undefined) return Promise.reject(bad);
    const load = this.#load(key, loader as () => V | Promise<V>, ttlMs);
    this.#inflight.set(key, load);
    return load;
  }

  /** Per key: hit → `found` (touched); missing or expired → `failed` with `KeyNotFoundError` (expired also triggers a sweep). */
  getMultiple(keys: readonly string[]): GetMultipleResult<V> {
    const found = new Map<string, V>();
    const failed = new Map<string, CacheError>();
    const now = this.#now();
    for (const key of keys) {
      const item = this.#backend.get(key);
      if (item === undefined || (item.ttlMs !== 0 && now > item.expiresAtMs)) {
        if (item === undefined) this.#misses++;
        else this.#expiredRead();
        failed.set(key, new KeyNotFoundError(key));
        continue;
      }
      this.#hit(item, now);
      found.set(key, item.value);
    }
    return { found, failed };
  }

  /** Frozen copies of the stored items after applying `filters` in order (engine.md §6); expired-but-present items included. */
  list(...filters: ListFilter<V>[]): Readonly<CacheItem<V>>[] {
    return this.#backend.list(filters).map(copyItem);
  }

  /** Removes keys (missing ones are fine), releasing their size and algorithm tracking. Returns how many existed. */
  remove(...keys: string[]): number {
    let removed = 0;
    for (const key of keys) {
      if (this.#removeKey(key)) {
        this.#algorithm.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Removes everything, forgets all tracked keys and resets the byte accounting to 0. */
  clear(): void {
    this.#backend.clear();
    this.#algorithm.clear();
    this.#allocation = 0;
  }

  /** Stored items, expired-but-not-swept included. */
  count(): number {
    return this.#backend.count();
  }

  /** Max item count, 0 = unlimited. */
  capacity(): number {
    return this.#capacity;
  }

  /** Summed size of stored items in bytes. */
  allocation(): number {
    return this.#allocation;
  }

  /** Byte cap, 0 = unlimited. */
  maxCacheSize(): number {
    return this.#maxBytes;
  }

  /**
   * Changes the capacity (engine.md §2): updates the backend, the proactive flag and the algorithm's
   * tracking size, then runs one eviction pass synchronously if count > capacity.
   */
  setCapacity(capacity: number): void {
    checkCapacity('capacity', capacity);
    this.#backend.setCapacity(capacity);
    this.#capacity = capacity;
    if (!this.#o.maxEvictionCountIsExplicit) this.#maxEvictionCount = capacity;
    this.#configureEviction();
    if (this.#backend.count() > capacity) this.#maintenance.evictionPass();
  }

  /** Non-blocking eviction pass request; coalesced while one is pending (engine.md §5). */
  triggerEviction(): void {
    this.#maintenance.triggerEviction();
  }

  /** Debounced, coalesced expiration sweep request (engine.md §3). */
  triggerExpiration(): void {
    this.#maintenance.triggerExpiration();
  }

  /** The collector's snapshot (management-api.md §3 shape). */
  getStats(): Record<string, StatAggregate> {
    return this.#stats.getStats();
  }

  /** Plain per-op counters (hits, misses, evictions, expirations). */
  counters(): EngineCounters {
    return { hits: this.#hits, misses: this.#misses, expiredReads: this.#expiredReads, evictions: this.#evictions, expirations: this.#expirations };
  }

  /** The live record on a hit (touched), `undefined` on a miss or an expired read (which triggers a sweep). */
  #read(key: string): CacheItem<V> | undefined {
    const item = this.#backend.get(key);
    if (item === undefined) {
      this.#misses++;
      return undefined;
    }
    const now = this.#now();
    if (item.ttlMs !== 0 && now > item.expiresAtMs) {
      this.#expiredRead();
      return undefined;
    }
    this.#hit(item, now);
    return item;
  }

  #hit(item: CacheItem<V>, now: number): void {
    this.#expiry.touch(item, now);
    // TS decision (engine.md §5): reads count for the algorithm, so LRU/LFU mean what they say.
    this.#algorithm.get(item.key);
    if (this.#touchBackend !== undefined) this.#touchBackend(item);
    this.#hits++;
  }

  #expiredRead(): void {
    this.#expiredReads++;
    this.#maintenance.triggerExpiration();
  }

  #writeError(key: string, ttlMs: number): CacheError | undefined {
    if (!isValidKey(key)) return new InvalidKeyError(key);
    // `!(ttl >= 0)` also rejects NaN; Infinity is rejected as nonsense.
    if (!(ttlMs >= 0) || ttlMs === Number.POSITIVE_INFINITY) return new InvalidExpirationError(ttlMs);
    return undefined;
  }

  #setAsPromise(key: string, value: V, ttlMs: number): Promise<V> {
    try {
      this.set(key, value, ttlMs);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return Promise.resolve(value);
  }

  async #load(key: string, loader: () => V | Promise<V>, ttlMs: number): Promise<V> {
    try {
      const value = await loader();
      this.set(key, value, ttlMs);
      return value;
    } finally {
      this.#inflight.delete(key);
    }
  }

  /** Deletes one key from the backend and releases its bytes; the caller handles algorithm tracking. */
  #removeKey(key: string): boolean {
    const item = this.#backend.get(key);
    if (item === undefined) return false;
    this.#backend.delete(key);
    this.#allocation -= item.size;
    return true;
  }

  /** Evicts one victim chosen by the algorithm; `false` when it proposes none. */
  #evictOne(): boolean {
    const algorithm = this.#algorithm;
    for (let attempt = 0; attempt < MAX_EVICT_ATTEMPTS && algorithm.length > 0; attempt++) {
      const victim = algorithm.evict();
      // A Clock lap may end without a victim; a stale key (not stored) is skipped.
      if (victim !== undefined && this.#removeKey(victim)) {
        this.#evictions++;
        return true;
      }
    }
    return false;
  }

  /** Removes every item expired at `nowMs`, listed through the backend's filters (engine.md §3, §6). Returns how many. */
  #removeExpired(nowMs: number): number {
    const expired = this.#backend.list([filterFunc<V>((i) => i.expiresAtMs !== 0 && nowMs > i.expiresAtMs)]);
    let removed = 0;
    for (const item of expired) {
      if (!this.#removeKey(item.key)) continue;
      this.#algorithm.delete(item.key);
      removed++;
    }
    this.#expirations += removed;
    return removed;
  }

  /** Re-plans eviction tracking for the current capacity (see {@link planEvictionTracking}). */
  #configureEviction(): void {
    const plan = planEvictionTracking(this.#o, this.#capacity, this.#maxEvictionCount, this.#algorithm, this.#trackingCapacity, this.#backend);
    this.#algorithm = plan.algorithm;
    this.#trackingCapacity = plan.trackingCapacity;
    const proactive = this.#o.evictionIntervalMs === 0 && this.#capacity > 0;
    this.#insertBound = proactive ? this.#capacity : this.#trackingCapacity;
  }
}
