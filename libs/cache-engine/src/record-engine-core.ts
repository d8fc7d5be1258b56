import type { Backend } from './backends/backend';
import { EXPIRED, MAX_EVICT_ATTEMPTS, MISS, type EngineCore, type EngineCoreOptions } from './engine-core';
import type { EngineCounters } from './engine-counters';
import { CacheFullError, ItemTooLargeError } from './errors';
import { NO_EVICTION, type EvictionAlgorithm } from './eviction-algorithm';
import { planEvictionTracking } from './eviction-tracking';
import { AbsoluteExpiryPolicy } from './expiry/absolute-expiry.policy';
import type { ExpiryPolicy } from './expiry/expiry-policy';
import { SlidingExpiryPolicy } from './expiry/sliding-expiry.policy';
import type { HybridLogicalClock } from './hybrid-logical-clock';
import type { ResolvedHyperCacheOptions } from './hyper-cache-options';
import { copyItem, newItem, type CacheItem, type WriteStamp } from './item';
import { filterFunc, type ListFilter } from './list-filters';

/**
 * The engine's data path over any {@link Backend} (internal; see {@link EngineCore}): records built
 * by the engine and stored in the backend, mutated in place on reads (or persisted through
 * `backend.touch` when it returns copies), the algorithm driven by key. Used for every backend but
 * a plain `InMemoryBackend`.
 */
export class RecordEngineCore<V> implements EngineCore<V> {
  readonly #o: ResolvedHyperCacheOptions<V>;
  readonly #backend: Backend<V>;
  readonly #now: () => number;
  readonly #nodeId: string;
  readonly #clock: HybridLogicalClock;
  readonly #expiry: ExpiryPolicy;
  readonly #maxBytes: number;
  /** `cacheFullPolicy === 'evict'`: a write past #maxBytes evicts until it fits. */
  readonly #evictToFit: boolean;
  readonly #onExpiredRead: () => void;
  readonly #touchBackend: ((item: CacheItem<V>) => void) | undefined;
  #algorithm: EvictionAlgorithm<string> = NO_EVICTION;
  #trackingCapacity = 0;
  /** Count at which a new key first evicts one item: capacity (proactive mode), 2 × capacity (loop mode), 0 = never. */
  #insertBound = 0;
  #allocation = 0;
  #hits = 0;
  #misses = 0;
  #expiredReads = 0;
  #evictions = 0;
  #expirations = 0;

  constructor({ o, onExpiredRead }: EngineCoreOptions<V>) {
    this.#o = o;
    this.#backend = o.backend;
    this.#now = o.now;
    this.#nodeId = o.nodeId;
    this.#clock = o.clock;
    this.#expiry = o.expiry === 'absolute' ? new AbsoluteExpiryPolicy() : new SlidingExpiryPolicy();
    this.#maxBytes = o.maxCacheSizeBytes;
    this.#evictToFit = o.cacheFullPolicy === 'evict';
    this.#onExpiredRead = onExpiredRead;
    const backend = o.backend;
    this.#touchBackend = typeof backend.touch === 'function' ? (item) => backend.touch!(item) : undefined;
  }

  get algorithm(): EvictionAlgorithm<string> {
    return this.#algorithm;
  }

  allocation(): number {
    return this.#allocation;
  }

  count(): number {
    return this.#backend.count();
  }

  counters(): EngineCounters {
    return { hits: this.#hits, misses: this.#misses, expiredReads: this.#expiredReads, evictions: this.#evictions, expirations: this.#expirations };
  }

  read(key: string): V | undefined {
    const item = this.#backend.get(key);
    if (item === undefined) return this.#miss();
    return this.#touched(item, this.#now()) ? item.value : undefined;
  }

  readAt(key: string, nowMs: number): V | undefined {
    const item = this.#backend.get(key);
    if (item === undefined) return this.#miss();
    return this.#touched(item, nowMs) ? item.value : undefined;
  }

  lookup(key: string): V | typeof MISS | typeof EXPIRED {
    const item = this.#backend.get(key);
    if (item === undefined) {
      this.#misses++;
      return MISS;
    }
    return this.#touched(item, this.#now()) ? item.value : EXPIRED;
  }

  readInfo(key: string): Readonly<CacheItem<V>> | undefined {
    const item = this.#backend.get(key);
    if (item === undefined) return this.#miss();
    return this.#touched(item, this.#now()) ? copyItem(item) : undefined;
  }

  write(key: string, value: V, size: number, ttlMs: number, now: number, stamp?: WriteStamp): void {
    let existing = this.#backend.get(key);
    // TS MUST (engine.md §4): an overwrite releases the old size.
    let allocation = existing === undefined ? this.#allocation + size : this.#allocation + size - existing.size;
    if (this.#maxBytes !== 0 && allocation > this.#maxBytes) {
      existing = this.#makeRoom(key, size, existing);
      allocation = existing === undefined ? this.#allocation + size : this.#allocation + size - existing.size;
    }
    let item: CacheItem<V>;
    if (stamp === undefined) {
      item = newItem(key, value, size, this.#clock.issue(now, existing === undefined ? 0 : existing.version), this.#nodeId, now, ttlMs);
    } else {
      this.#clock.observe(stamp.version);
      item = newItem(key, value, size, stamp.version, stamp.origin, now, ttlMs);
      item.expiresAtMs = stamp.expiresAtMs;
    }
    if (existing === undefined) {
      // Evict before inserting so the new key is never its own victim (it would be under LFU).
      if (this.#insertBound !== 0 && this.#backend.count() >= this.#insertBound) this.evictOne();
      this.#allocation += size;
    } else {
      this.#allocation = allocation;
    }
    this.#backend.set(item);
    this.#algorithm.set(key);
  }

  /**
   * A write that would pass the byte limit (same rules as the slot path): `reject` throws
   * `CacheFullError`; `evict` refuses an item larger than the limit (`ItemTooLargeError`), else
   * evicts until it fits. Returns the stored record of `key`, undefined if it was evicted too.
   */
  #makeRoom(key: string, size: number, existing: CacheItem<V> | undefined): CacheItem<V> | undefined {
    const max = this.#maxBytes;
    if (!this.#evictToFit) throw new CacheFullError(key, size, this.#allocation, max);
    if (size > max) throw new ItemTooLargeError(key, size, max);
    while (this.#allocation - (existing === undefined ? 0 : existing.size) + size > max) {
      if (!this.evictOne()) throw new CacheFullError(key, size, this.#allocation, max);
      if (existing !== undefined && this.#backend.get(key) === undefined) existing = undefined;
    }
    return existing;
  }

  stampOf(key: string): { version: number; origin: string } | undefined {
    const item = this.#backend.get(key);
    return item === undefined ? undefined : { version: item.version, origin: item.origin };
  }

  keys(): string[] {
    return this.#backend.list([]).map((item) => item.key);
  }

  remove(key: string): boolean {
    if (!this.#removeKey(key)) return false;
    this.#algorithm.delete(key);
    return true;
  }

  clear(): void {
    this.#backend.clear();
    this.#algorithm.clear();
    this.#allocation = 0;
  }

  list(filters: ListFilter<V>[]): Readonly<CacheItem<V>>[] {
    return this.#backend.list(filters).map(copyItem);
  }

  evictOne(): boolean {
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

  removeExpired(nowMs: number): number {
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

  configure(capacity: number, maxEvictionCount: number): void {
    const plan = planEvictionTracking(this.#o, capacity, maxEvictionCount, this.#algorithm, this.#trackingCapacity);
    if (plan.retrack) {
      const stored = this.#backend.list([]);
      stored.sort((a, b) => a.lastAccessMs - b.lastAccessMs);
      for (const item of stored) plan.algorithm.set(item.key);
    }
    this.#algorithm = plan.algorithm;
    this.#trackingCapacity = plan.trackingCapacity;
    const proactive = this.#o.evictionIntervalMs === 0 && capacity > 0;
    this.#insertBound = proactive ? capacity : this.#trackingCapacity;
  }

  #miss(): undefined {
    this.#misses++;
    return undefined;
  }

  /** A read of a present record at `now`: touches it and counts the hit, or counts the expired read (and triggers a sweep); whether it hit. */
  #touched(item: CacheItem<V>, now: number): boolean {
    if (item.ttlMs !== 0 && now > item.expiresAtMs) {
      this.#expiredReads++;
      this.#onExpiredRead();
      return false;
    }
    this.#expiry.touch(item, now);
    // TS decision (engine.md §5): reads count for the algorithm, so LRU/LFU mean what they say.
    this.#algorithm.get(item.key);
    if (this.#touchBackend !== undefined) this.#touchBackend(item);
    this.#hits++;
    return true;
  }

  /** Deletes one key from the backend and releases its bytes; the caller handles algorithm tracking. */
  #removeKey(key: string): boolean {
    const item = this.#backend.get(key);
    if (item === undefined) return false;
    this.#backend.delete(key);
    this.#allocation -= item.size;
    return true;
  }
}
