import { AsyncEvictionTracker } from './async-eviction-tracker';
import { resolveAsyncHyperCacheOptions, type AsyncHyperCacheOptions } from './async-hyper-cache-options';
import type { AsyncCacheService } from './async-cache-service';
import type { Backend } from './backends/backend';
import { checkCapacity } from './backends/in-memory-backend';
import { CacheMaintenance, type PassResult } from './cache-maintenance';
import type { GetMultipleResult, ValueOrLoader } from './cache-service';
import type { EngineCounters } from './engine-counters';
import { CacheError, KeyExpiredError, KeyNotFoundError, NilValueError } from './errors';
import type { EvictionAlgorithm } from './eviction-algorithm';
import type { HybridLogicalClock } from './hybrid-logical-clock';
import { copyItem, isExpired, newItem, writeError, type CacheItem, type WriteStamp } from './item';
import type { ListFilter } from './list-filters';
import type { SizeOf } from './size-of';
import type { StatAggregate, StatsCollector } from './stats/stats-collector';

export { resolveAsyncHyperCacheOptions, type AsyncHyperCacheOptions, type ResolvedAsyncHyperCacheOptions } from './async-hyper-cache-options';

/**
 * The engine facade over an async-capable {@link Backend} (engine.md §2, §11): the same
 * validation, sizes, versions and read semantics as `HyperCache`, every operation answering with a
 * promise. Built for backends that do I/O (Redis, issue 15); the in-memory engine stays
 * synchronous in `HyperCache` so its hot path allocates no promise.
 *
 * Guarantees: each call reaches the backend before the method returns (no `await` precedes the
 * backend call), so a backend that serves calls in order (one Redis connection) sees them in call
 * order; concurrent `getOrSet` callers for one key share one lookup and one loader run.
 *
 * Capacity, eviction, expiry sweeps and stats as `HyperCache` (engine.md §3, §5, §7; shared
 * `CacheMaintenance`, loops on injected timers, `start`/`stop`/`idle`), over the backend's I/O
 * (docs/decisions.md B13–B15): the eviction algorithm tracks the keys this engine writes and reads
 * ({@link AsyncEvictionTracker}); a pass compares the backend's `count()` (a Redis backend: every
 * key under its prefix) with the capacity and removes victims in one `backend.remove`; proactive
 * mode (`evictionIntervalMs` 0) bounds the tracked keys at every write. A sweep lists the backend
 * and removes records whose `expiresAtMs` passed on the engine clock (Redis drops them natively
 * too); an expired read does not trigger one. Expiry is absolute (reads are not written back). No
 * byte cap. Middleware: `applyMiddleware` with the async middlewares.
 */
export class AsyncHyperCache<V = unknown> implements AsyncCacheService<V> {
  readonly #backend: Backend<V>;
  readonly #nodeId: string;
  readonly #now: () => number;
  readonly #clock: HybridLogicalClock;
  readonly #sizeOf: SizeOf<V>;
  readonly #stats: StatsCollector;
  readonly #tracker: AsyncEvictionTracker;
  readonly #maintenance: CacheMaintenance;
  readonly #maxEvictionCountIsExplicit: boolean;
  readonly #inflight = new Map<string, Promise<V>>();
  #capacity: number;
  #maxEvictionCount: number;
  #hits = 0;
  #misses = 0;
  #expiredReads = 0;
  #evictions = 0;
  #expirations = 0;
  #stopping: Promise<void> | undefined;

  /** Builds the facade; options are resolved by {@link resolveAsyncHyperCacheOptions} (throws `InvalidOptionError`). */
  constructor(options: AsyncHyperCacheOptions<V>) {
    const o = resolveAsyncHyperCacheOptions(options);
    this.#backend = o.backend;
    this.#nodeId = o.nodeId;
    this.#now = o.now;
    this.#clock = o.clock;
    this.#sizeOf = o.sizeOf;
    this.#stats = o.statsCollector;
    this.#capacity = o.capacity;
    this.#maxEvictionCount = o.maxEvictionCount;
    this.#maxEvictionCountIsExplicit = o.maxEvictionCountIsExplicit;
    this.#tracker = new AsyncEvictionTracker(o);
    this.#tracker.configure(this.#capacity, this.#maxEvictionCount);
    this.#maintenance = new CacheMaintenance({
      now: o.now,
      stats: o.statsCollector,
      logger: o.logger,
      expirationIntervalMs: o.expirationIntervalMs,
      evictionIntervalMs: o.evictionIntervalMs,
      expirationTriggerDebounceMs: o.expirationTriggerDebounceMs,
      timers: o.timers,
      host: {
        async: true,
        maxEvictionCount: () => this.#maxEvictionCount,
        algorithmName: () => this.#tracker.algorithm.name,
        evictUpTo: (max) => this.#evictUpTo(max),
        removeExpired: (nowMs) => this.#removeExpired(nowMs),
      },
    });
  }

  /** The node ID stamped as `origin` on versions. */
  get nodeId(): string {
    return this.#nodeId;
  }

  /** The version clock. */
  get clock(): HybridLogicalClock {
    return this.#clock;
  }

  /** The storage backend. */
  get backend(): Backend<V> {
    return this.#backend;
  }

  /** The engine's stats collector (pass it to `asyncStatsMiddleware`). */
  get statsCollector(): StatsCollector {
    return this.#stats;
  }

  /** The eviction algorithm tracking this engine's keys (`none` while nothing can be evicted). */
  get evictionAlgorithm(): EvictionAlgorithm<string> {
    return this.#tracker.algorithm;
  }

  /** Starts the expiration and eviction loops (idempotent; no-op after `stop`). */
  start(): void {
    this.#maintenance.start();
  }

  /** Stops the loops, waits for queued passes, then stops the backend (engine.md §2, TS MUST). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#maintenance.stop().then(() => this.#backend.stop());
    return this.#stopping;
  }

  /** Resolves when no triggered sweep or eviction pass is queued or running. */
  idle(): Promise<void> {
    return this.#maintenance.idle();
  }

  /**
   * Stores `value` under `key` (engine.md §2); `ttlMs` 0 = never expires. Resolves with a frozen
   * copy of the record as written. Rejects `InvalidKeyError`, `NilValueError`,
   * `InvalidExpirationError` (`BAD_REQUEST`) or whatever the backend rejects with. A new key at
   * the insert bound first removes one victim (issued before the write, same connection order).
   */
  async set(key: string, value: V, ttlMs = 0, stamp?: WriteStamp): Promise<Readonly<CacheItem<V>>> {
    const item = this.#record(key, value, ttlMs, stamp);
    const victim = this.#tracker.written(key);
    // A failed eviction must not fail the write (the victim just stays, untracked; Redis maxmemory still bounds it).
    const evicting = victim === undefined ? undefined : this.#evict([victim]).catch(() => 0);
    try {
      await this.#backend.set(item);
    } catch (err) {
      this.#tracker.forget(key);
      throw err;
    }
    if (evicting !== undefined) await evicting;
    return copyItem(item);
  }

  /** The value, or `undefined` when missing or expired. A hit counts for the eviction algorithm. */
  async get(key: string): Promise<V | undefined> {
    const item = await this.#backend.get(key);
    return this.#readable(key, item, this.#now()) ? item.value : undefined;
  }

  /** Like `get` but resolves with a frozen copy of the whole record. */
  async getWithInfo(key: string): Promise<Readonly<CacheItem<V>> | undefined> {
    const item = await this.#backend.get(key);
    return this.#readable(key, item, this.#now()) ? copyItem(item) : undefined;
  }

  /**
   * Hit → the stored value. Expired-but-present → rejects `KeyExpiredError` without overwriting
   * (engine.md §2 upstream quirk). Miss → stores the value (or the loader's result) like `set`.
   * Concurrent callers for one key share a single lookup and loader run.
   */
  getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs = 0): Promise<V> {
    const running = this.#inflight.get(key);
    if (running !== undefined) return running;
    const bad = writeError(key, ttlMs);
    if (bad !== undefined) return Promise.reject(bad);
    const load = this.#getOrLoad(key, loader, ttlMs).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, load);
    return load;
  }

  /** Per key: hit → `found`; missing or expired → `failed` with `KeyNotFoundError`. One clock read for the batch. */
  async getMultiple(keys: readonly string[]): Promise<GetMultipleResult<V>> {
    const items = await Promise.all(keys.map((key) => this.#backend.get(key)));
    const now = this.#now();
    const found = new Map<string, V>();
    const failed = new Map<string, CacheError>();
    keys.forEach((key, i) => {
      const item = items[i];
      if (this.#readable(key, item, now)) found.set(key, item.value);
      else failed.set(key, new KeyNotFoundError(key));
    });
    return { found, failed };
  }

  /** Frozen copies of the stored items after `filters` in order (engine.md §6); expired-but-present included. */
  async list(...filters: ListFilter<V>[]): Promise<Readonly<CacheItem<V>>[]> {
    return (await this.#backend.list(filters)).map(copyItem);
  }

  /** Removes keys (missing ones are fine) and forgets their tracking; resolves with how many existed. */
  async remove(...keys: string[]): Promise<number> {
    for (const key of keys) this.#tracker.forget(key);
    return this.#backend.remove(keys);
  }

  /** Removes everything the backend stores (a Redis backend: its prefix) and forgets all tracked keys. */
  async clear(): Promise<void> {
    this.#tracker.clear();
    await this.#backend.clear();
  }

  /** Stored items as the backend counts them. */
  async count(): Promise<number> {
    return this.#backend.count();
  }

  /** Max item count, 0 = unlimited. */
  capacity(): number {
    return this.#capacity;
  }

  /**
   * Changes the capacity (engine.md §2): updates the backend, `maxEvictionCount` (unless given),
   * the algorithm's tracking size, then queues one eviction pass when this engine tracks any key
   * (with none, a pass has no victim to take); resolves when it ran. Throws `InvalidOptionError`
   * (synchronously) on a negative value.
   */
  setCapacity(capacity: number): Promise<void> {
    checkCapacity('capacity', capacity);
    this.#backend.setCapacity(capacity);
    this.#capacity = capacity;
    if (!this.#maxEvictionCountIsExplicit) this.#maxEvictionCount = capacity;
    this.#tracker.configure(capacity, this.#maxEvictionCount);
    if (this.#tracker.length > 0) this.#maintenance.triggerEviction();
    return this.#maintenance.idle();
  }

  /** Non-blocking eviction pass request; coalesced while one is pending (engine.md §5). */
  triggerEviction(): void {
    this.#maintenance.triggerEviction();
  }

  /** Debounced, coalesced expiration sweep request (engine.md §3): lists the backend, removes records expired on the engine clock. */
  triggerExpiration(): void {
    this.#maintenance.triggerExpiration();
  }

  /** The collector's snapshot (management-api.md §3 shape). */
  getStats(): Record<string, StatAggregate> {
    return this.#stats.getStats();
  }

  /** Plain per-op counters (hits, misses, expired reads, evictions, expirations). */
  counters(): EngineCounters {
    return { hits: this.#hits, misses: this.#misses, expiredReads: this.#expiredReads, evictions: this.#evictions, expirations: this.#expirations };
  }

  /** A validated record for a write made now (throws the validation error). */
  #record(key: string, value: V, ttlMs: number, stamp: WriteStamp | undefined): CacheItem<V> {
    const bad = writeError(key, ttlMs);
    if (bad !== undefined) throw bad;
    if (value === undefined || value === null) throw new NilValueError(key);
    const size = this.#sizeOf(value, key);
    const now = this.#now();
    if (stamp === undefined) return newItem(key, value, size, this.#clock.issue(now, 0), this.#nodeId, now, ttlMs);
    this.#clock.observe(stamp.version);
    const item = newItem(key, value, size, stamp.version, stamp.origin, now, ttlMs);
    item.expiresAtMs = stamp.expiresAtMs;
    return item;
  }

  /**
   * Counts a read of `key` (`item` as the backend answered) at `now`: a hit (touches the tracking),
   * a miss (absent: forgets the tracking, the key is gone) or an expired read; whether it hit.
   */
  #readable(key: string, item: CacheItem<V> | undefined, now: number): item is CacheItem<V> {
    if (item === undefined) {
      this.#misses++;
      this.#tracker.forget(key);
      return false;
    }
    if (isExpired(item, now)) {
      this.#expiredReads++;
      return false;
    }
    this.#hits++;
    this.#tracker.read(key);
    return true;
  }

  async #getOrLoad(key: string, loader: ValueOrLoader<V>, ttlMs: number): Promise<V> {
    const item = await this.#backend.get(key);
    const now = this.#now();
    if (item !== undefined && isExpired(item, now)) {
      this.#expiredReads++;
      throw new KeyExpiredError(key);
    }
    if (this.#readable(key, item, now)) return item.value;
    const value = typeof loader === 'function' ? await (loader as () => V | Promise<V>)() : loader;
    await this.set(key, value, ttlMs);
    return value;
  }

  /** Removes `victims` (already forgotten by the tracker); counts those that still existed as evictions. */
  async #evict(victims: string[]): Promise<number> {
    const removed = await this.#backend.remove(victims);
    this.#evictions += removed;
    return removed;
  }

  /**
   * One eviction pass over the backend: one `count()`, then victims removed in batches until
   * `min(count − capacity, max)` existed or the algorithm has none left (a victim that was already
   * gone — expired natively, removed elsewhere — is not counted and the next one is taken).
   */
  async #evictUpTo(max: number): Promise<PassResult> {
    const count = await this.#backend.count();
    const target = Math.min(count - this.#capacity, max);
    let removed = 0;
    while (removed < target) {
      const victims: string[] = [];
      for (let key = this.#tracker.victim(); key !== undefined; key = victims.length < target - removed ? this.#tracker.victim() : undefined) victims.push(key);
      if (victims.length === 0) break;
      removed += await this.#evict(victims);
    }
    return { removed, remaining: count - removed };
  }

  /** One sweep: lists the backend once, removes the records expired at `nowMs` (engine clock). */
  async #removeExpired(nowMs: number): Promise<PassResult> {
    const items = await this.#backend.list([]);
    const expired = items.filter((i) => i.expiresAtMs !== 0 && nowMs > i.expiresAtMs).map((i) => i.key);
    for (const key of expired) this.#tracker.forget(key);
    const removed = expired.length === 0 ? 0 : await this.#backend.remove(expired);
    this.#expirations += removed;
    return { removed, remaining: items.length - removed };
  }
}
