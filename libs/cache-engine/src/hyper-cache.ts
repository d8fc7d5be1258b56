import { checkCapacity, slotStoreOf, type InMemoryBackend } from './backends/in-memory-backend';
import { CacheMaintenance } from './cache-maintenance';
import type { CacheService, GetMultipleResult, ValueOrLoader } from './cache-service';
import type { EngineCounters } from './engine-counters';
import { CacheError, KeyExpiredError, KeyNotFoundError, NilValueError } from './errors';
import type { EvictionAlgorithm } from './eviction-algorithm';
import type { HybridLogicalClock } from './hybrid-logical-clock';
import { resolveHyperCacheOptions, type HyperCacheOptions, type ResolvedHyperCacheOptions } from './hyper-cache-options';
import { itemOf, writeError, type CacheItem, type WriteStamp } from './item';
import type { ListFilter } from './list-filters';
import type { SizeOf } from './size-of';
import { EXPIRED, MISS, SlotEngineCore } from './slot-engine-core';
import type { StatAggregate, StatsCollector } from './stats/stats-collector';

/** Listener of {@link HyperCache.onExpire}: one expired item removed by the sweep. Must not throw. */
export type ExpireListener = (key: string, version: number, origin: string) => void;

/**
 * The cache engine core (engine.md): validation, size accounting (§4), versions (dist-protocol.md
 * §4), expiry (§3), eviction (§5), list filters (§6), stats (§7) over an `InMemoryBackend`.
 *
 * Every stored key is tracked by the eviction algorithm (its `length` equals `count()`), sized by
 * capacity, not maxEvictionCount (§5). A new key evicts one victim *before* it is inserted when
 * count ≥ capacity (proactive mode) or ≥ 2 × capacity (loop mode: a hard bound while the loop lags),
 * so it is never its own victim and no algorithm ever drops a key silently.
 *
 * One data path: the engine works on its `InMemoryBackend`'s slot columns with the eviction
 * algorithm's slot handles (one hash lookup per read hit, no per-item object retained). Backends
 * that answer asynchronously (Redis) sit behind `AsyncHyperCache`, not here.
 */
export class HyperCache<V = unknown> implements CacheService<V> {
  readonly #o: ResolvedHyperCacheOptions<V>;
  readonly #core: SlotEngineCore<V>;
  readonly #sizeOf: SizeOf<V>;
  readonly #now: () => number;
  readonly #clock: HybridLogicalClock;
  readonly #nodeId: string;
  readonly #maintenance: CacheMaintenance;
  readonly #inflight = new Map<string, Promise<V>>();
  #capacity: number;
  #maxEvictionCount: number;
  #stopping: Promise<void> | undefined;
  #expireListeners: readonly ExpireListener[] = [];
  #clearListeners: ReadonlyArray<() => void> = [];

  /** Builds an engine; options are resolved by {@link resolveHyperCacheOptions} (throws `InvalidOptionError`). */
  constructor(options: HyperCacheOptions<V> = {}) {
    const o = resolveHyperCacheOptions(options);
    this.#o = o;
    this.#sizeOf = o.sizeOf;
    this.#now = o.now;
    this.#clock = o.clock;
    this.#nodeId = o.nodeId;
    this.#capacity = o.capacity;
    this.#maxEvictionCount = o.maxEvictionCount;
    const store = slotStoreOf(o.backend);
    if (o.compactValueBytes !== 0) store.setCompactBytes(o.compactValueBytes);
    this.#core = new SlotEngineCore({ o, onExpiredRead: () => this.#maintenance.triggerExpiration() }, store);
    this.#core.configure(this.#capacity, this.#maxEvictionCount);
    this.#maintenance = new CacheMaintenance({
      now: o.now,
      stats: o.statsCollector,
      logger: o.logger,
      expirationIntervalMs: o.expirationIntervalMs,
      evictionIntervalMs: o.evictionIntervalMs,
      expirationTriggerDebounceMs: o.expirationTriggerDebounceMs,
      timers: o.timers,
      host: {
        count: () => this.#core.count(),
        capacity: () => this.#capacity,
        maxEvictionCount: () => this.#maxEvictionCount,
        algorithmName: () => this.#core.algorithm.name,
        evictOne: () => this.#core.evictOne(),
        removeExpired: (nowMs) => this.#core.removeExpired(nowMs, this.#expireListeners.length === 0 ? undefined : this.#notifyExpired),
      },
    });
  }

  /**
   * Registers `listener` for every item the expiration sweep removes (engine.md §3), with the
   * item's key, version and origin; the server's key-change stream reports them as `expire`
   * (issue 17). Expired items are removed by the sweep, not by the read that finds them expired
   * (that read triggers a sweep). Without listeners a sweep pays nothing. Returns the unsubscribe function.
   */
  onExpire(listener: ExpireListener): () => void {
    this.#expireListeners = [...this.#expireListeners, listener];
    return () => {
      this.#expireListeners = this.#expireListeners.filter((l) => l !== listener);
    };
  }

  /** Registers `listener` for every {@link clear} (after it ran). Returns the unsubscribe function. */
  onClear(listener: () => void): () => void {
    this.#clearListeners = [...this.#clearListeners, listener];
    return () => {
      this.#clearListeners = this.#clearListeners.filter((l) => l !== listener);
    };
  }

  readonly #notifyExpired = (key: string, version: number, origin: string): void => {
    for (const l of this.#expireListeners) l(key, version, origin);
  };

  /** The node ID stamped as `origin` on versions. */
  get nodeId(): string {
    return this.#nodeId;
  }

  /** The version clock (dist backends call `observe` on items they apply). */
  get clock(): HybridLogicalClock {
    return this.#clock;
  }

  /** The storage backend. */
  get backend(): InMemoryBackend<V> {
    return this.#o.backend;
  }

  /** The engine's stats collector (pass it to `statsMiddleware`). */
  get statsCollector(): StatsCollector {
    return this.#o.statsCollector;
  }

  /** The eviction algorithm currently tracking keys (`none` while nothing can be evicted). */
  get evictionAlgorithm(): EvictionAlgorithm<string> {
    return this.#core.algorithm;
  }

  /** Starts the expiration and eviction loops (idempotent; no-op after `stop`). */
  start(): void {
    this.#maintenance.start();
  }

  /** Stops the loops, waits for queued background jobs, then stops the backend (engine.md §2, TS MUST). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#maintenance.stop().then(() => this.#o.backend.stop());
    return this.#stopping;
  }

  /** Resolves when no triggered sweep or eviction pass is queued or running. */
  idle(): Promise<void> {
    return this.#maintenance.idle();
  }

  /**
   * Stores `value` under `key` (engine.md §2). `ttlMs` 0 = never expires. Returns the record as
   * written: a detached copy (what `getWithInfo` would return before any read; later reads do not
   * update it). Throws `InvalidKeyError`, `NilValueError`, `InvalidExpirationError` (all
   * `BAD_REQUEST`) or `CacheFullError` (`INTERNAL`).
   */
  set(key: string, value: V, ttlMs = 0, stamp?: WriteStamp): Readonly<CacheItem<V>> {
    const bad = writeError(key, ttlMs);
    if (bad !== undefined) throw bad;
    if (value === undefined || value === null) throw new NilValueError(key);
    const size = this.#sizeOf(value, key);
    const now = this.#now();
    this.#core.write(key, value, size, ttlMs, now, stamp);
    if (stamp !== undefined) {
      return itemOf(key, value, size, stamp.version, stamp.origin, now, now, ttlMs, stamp.expiresAtMs, 0);
    }
    // Built here, not in the core: this method is small enough for V8 to inline into callers, and a
    // caller that ignores the record then pays no allocation (escape analysis). Not frozen: freezing
    // measured ~20% of a set. `clock.last` is the version the write just issued.
    return itemOf(key, value, size, this.#clock.last, this.#nodeId, now, now, ttlMs, ttlMs > 0 ? now + ttlMs : 0, 0);
  }

  /**
   * Version stamp of the stored record for `key`, expired or not, without touching it (the
   * distributed layer's newer-wins checks). Undefined when absent.
   */
  peek(key: string): { version: number; origin: string } | undefined {
    return this.#core.stampOf(key);
  }

  /** Every stored key, expired-but-unswept included (peer key enumeration, dist-protocol.md §12). */
  keys(): string[] {
    return this.#core.keys();
  }

  /** The value, or `undefined` when missing or expired (an expired read triggers a sweep). A hit touches the item. */
  get(key: string): V | undefined {
    return this.#core.read(key);
  }

  /** Like `get` but returns a frozen copy of the whole record. */
  getWithInfo(key: string): Readonly<CacheItem<V>> | undefined {
    return this.#core.readInfo(key);
  }

  /**
   * Hit → the stored value (touched). Expired-but-present → rejects `KeyExpiredError` without
   * overwriting (upstream quirk, engine.md §2). Miss → stores the value (or the loader's result)
   * like `set`; concurrent callers for one missing key share a single loader run.
   */
  getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs = 0): Promise<V> {
    const value = this.#core.lookup(key);
    if (value === EXPIRED) return Promise.reject(new KeyExpiredError(key));
    if (value !== MISS) return Promise.resolve(value);
    const running = this.#inflight.get(key);
    if (running !== undefined) return running;
    if (typeof loader !== 'function') return this.#setAsPromise(key, loader, ttlMs);
    const bad = writeError(key, ttlMs);
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
      const value = this.#core.readAt(key, now);
      if (value === undefined) failed.set(key, new KeyNotFoundError(key));
      else found.set(key, value);
    }
    return { found, failed };
  }

  /** Frozen copies of the stored items after applying `filters` in order (engine.md §6); expired-but-present items included. */
  list(...filters: ListFilter<V>[]): Readonly<CacheItem<V>>[] {
    return this.#core.list(filters);
  }

  /** Removes keys (missing ones are fine), releasing their size and algorithm tracking. Returns how many existed. */
  remove(...keys: string[]): number {
    let removed = 0;
    for (const key of keys) if (this.#core.remove(key)) removed++;
    return removed;
  }

  /** Removes everything, forgets all tracked keys and resets the byte accounting to 0. */
  clear(): void {
    this.#core.clear();
    for (const l of this.#clearListeners) l();
  }

  /** Stored items, expired-but-not-swept included. */
  count(): number {
    return this.#core.count();
  }

  /** Max item count, 0 = unlimited. */
  capacity(): number {
    return this.#capacity;
  }

  /** Summed size of stored items in bytes. */
  allocation(): number {
    return this.#core.allocation();
  }

  /** Byte cap, 0 = unlimited. */
  maxCacheSize(): number {
    return this.#o.maxCacheSizeBytes;
  }

  /**
   * Changes the capacity (engine.md §2): updates the backend, the proactive flag and the algorithm's
   * tracking size, then runs one eviction pass synchronously if count > capacity.
   */
  setCapacity(capacity: number): void {
    checkCapacity('capacity', capacity);
    this.#o.backend.setCapacity(capacity);
    this.#capacity = capacity;
    if (!this.#o.maxEvictionCountIsExplicit) this.#maxEvictionCount = capacity;
    this.#core.configure(capacity, this.#maxEvictionCount);
    if (this.#core.count() > capacity) this.#maintenance.evictionPass();
  }

  /**
   * Evicts one victim chosen by the eviction algorithm, synchronously; false when nothing could be
   * evicted. Lets an owner enforce its own bound (the hybrid cache's L1 byte budget) by eviction
   * instead of `CacheFullError`.
   */
  evictOne(): boolean {
    return this.#core.evictOne();
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
    return this.#o.statsCollector.getStats();
  }

  /** Plain per-op counters (hits, misses, evictions, expirations). */
  counters(): EngineCounters {
    return this.#core.counters();
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
}
