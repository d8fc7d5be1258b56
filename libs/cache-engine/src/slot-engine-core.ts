import type { InMemoryBackend } from './backends/in-memory-backend';
import { ABSENT, HIT, type SlotStore } from './backends/slot-store';
import type { EngineCounters } from './engine-counters';
import { CacheFullError, ItemTooLargeError } from './errors';
import { NO_EVICTION, type EvictionAlgorithm } from './eviction-algorithm';
import { planEvictionTracking } from './eviction-tracking';
import type { HybridLogicalClock } from './hybrid-logical-clock';
import type { ResolvedHyperCacheOptions } from './hyper-cache-options';
import { copyItem, type CacheItem, type WriteStamp } from './item';
import { KeyedSlotTracker } from './keyed-slot-tracker';
import { filterFunc, type ListFilter } from './list-filters';
import { hasEvictionHandles, type SlotTracker } from './slot-tracker';

/** `lookup` result for a missing key (counted as a miss). */
export const MISS: unique symbol = Symbol('miss');
/** `lookup` result for an expired-but-present key (counted as an expired read; a sweep was triggered). */
export const EXPIRED: unique symbol = Symbol('expired');

/** `evictOne` tries per victim; guards against caller-supplied algorithms that yield stale keys or end a lap empty. */
const MAX_EVICT_ATTEMPTS = 64;

/** Wiring of a {@link SlotEngineCore}, built once by `HyperCache`. */
export interface EngineCoreOptions<V> {
  readonly o: ResolvedHyperCacheOptions<V>;
  /** Called on every expired read (the engine triggers an expiration sweep). */
  readonly onExpiredRead: () => void;
}

/**
 * The data path of `HyperCache` (internal): storage, size accounting, versions, expiry on read and
 * eviction tracking over the slot store of its `InMemoryBackend`. The engine validates arguments
 * and owns the loops; the core never sees invalid keys, values or TTLs. Records
 * are columns of the backend's slot store; the slots are the eviction algorithm's own when it has
 * handles, so a read hit is one hash lookup (the algorithm's key → slot index), an expiry check and
 * a few typed-array writes, and `touch(slot)` never hashes. Key-only algorithms (caller-supplied,
 * custom, sharded) and `none` go through a {@link KeyedSlotTracker}; the choice is made when
 * tracking is (re)planned, never per operation. No per-item object is allocated or retained.
 */
export class SlotEngineCore<V> {
  readonly #o: ResolvedHyperCacheOptions<V>;
  readonly #backend: InMemoryBackend<V>;
  readonly #store: SlotStore<V>;
  readonly #now: () => number;
  readonly #nodeId: string;
  readonly #clock: HybridLogicalClock;
  readonly #sliding: boolean;
  readonly #maxBytes: number;
  /** `cacheFullPolicy === 'evict'`: a write past #maxBytes evicts until it fits. */
  readonly #evictToFit: boolean;
  readonly #onExpiredRead: () => void;
  #algorithm: EvictionAlgorithm<string> = NO_EVICTION;
  #tracker: SlotTracker;
  /** Whether the store's slots come from #tracker yet (the first `configure` binds them). */
  #bound = false;
  #trackingCapacity = 0;
  /** Count at which a new key first evicts one item: capacity (proactive mode), 2 × capacity (loop mode), 0 = never. */
  #insertBound = 0;
  #allocation = 0;
  #hits = 0;
  #misses = 0;
  #expiredReads = 0;
  #evictions = 0;
  #expirations = 0;

  /** @param store the slot store of `o.backend` (an `InMemoryBackend`). */
  constructor({ o, onExpiredRead }: EngineCoreOptions<V>, store: SlotStore<V>) {
    this.#o = o;
    this.#backend = o.backend;
    this.#store = store;
    this.#now = o.now;
    this.#nodeId = o.nodeId;
    this.#clock = o.clock;
    this.#sliding = o.expiry !== 'absolute';
    this.#maxBytes = o.maxCacheSizeBytes;
    this.#evictToFit = o.cacheFullPolicy === 'evict';
    this.#onExpiredRead = onExpiredRead;
    // Replaced by `configure`, which the engine calls before any operation.
    this.#tracker = new KeyedSlotTracker(NO_EVICTION);
  }

  get algorithm(): EvictionAlgorithm<string> {
    return this.#algorithm;
  }

  allocation(): number {
    return this.#allocation;
  }

  count(): number {
    return this.#store.count;
  }

  counters(): EngineCounters {
    return { hits: this.#hits, misses: this.#misses, expiredReads: this.#expiredReads, evictions: this.#evictions, expirations: this.#expirations };
  }

  read(key: string): V | undefined {
    const store = this.#store;
    const slot = store.slotOf(key);
    if (slot === 0) return this.#miss();
    const hit = store.hit(slot, this.#now(), this.#sliding);
    if (hit !== HIT) return this.#notHit(hit);
    // TS decision (engine.md §5): reads count for the algorithm, so LRU/LFU mean what they say.
    this.#tracker.touch(slot);
    this.#hits++;
    return store.valueAt(slot);
  }

  readAt(key: string, nowMs: number): V | undefined {
    const store = this.#store;
    const slot = store.slotOf(key);
    if (slot === 0) return this.#miss();
    const hit = store.hit(slot, nowMs, this.#sliding);
    if (hit !== HIT) return this.#notHit(hit);
    this.#tracker.touch(slot);
    this.#hits++;
    return store.valueAt(slot);
  }

  lookup(key: string): V | typeof MISS | typeof EXPIRED {
    const slot = this.#store.find(key);
    if (slot === 0) {
      this.#misses++;
      return MISS;
    }
    return this.#touched(slot) ? this.#store.valueAt(slot) : EXPIRED;
  }

  readInfo(key: string): Readonly<CacheItem<V>> | undefined {
    const slot = this.#store.find(key);
    if (slot === 0) return this.#miss();
    return this.#touched(slot) ? Object.freeze(this.#store.materialize(slot)) : undefined;
  }

  write(key: string, value: V, size: number, ttlMs: number, now: number, stamp?: WriteStamp): void {
    const store = this.#store;
    const slot = store.find(key);
    if (slot !== 0 || stamp !== undefined) {
      this.#writeOther(slot, key, value, size, ttlMs, now, stamp);
      return;
    }
    // The common write, kept small for V8's inliner: a new key, a version issued here.
    if (this.#maxBytes !== 0 && this.#allocation + size > this.#maxBytes) this.#makeRoom(key, size, 0);
    this.#insertNew(key, value, size, this.#clock.issue(now, 0), this.#nodeId, now, ttlMs, ttlMs > 0 ? now + ttlMs : 0);
  }

  /** Stores a key that is not stored, evicting first when the insert bound is reached. */
  #insertNew(key: string, value: V, size: number, version: number, origin: string, now: number, ttlMs: number, expiresAtMs: number): void {
    // Evict before inserting so the new key is never its own victim (it would be under LFU).
    if (this.#insertBound !== 0 && this.#store.count >= this.#insertBound) this.evictOne();
    this.#allocation += size;
    this.#store.insert(key, value, size, version, origin, now, ttlMs, expiresAtMs);
  }

  /** A write of a stored key (`slot` ≠ 0) or of a stamped version (a replica's write). */
  #writeOther(slot: number, key: string, value: V, size: number, ttlMs: number, now: number, stamp: WriteStamp | undefined): void {
    const store = this.#store;
    // TS MUST (engine.md §4): an overwrite releases the old size.
    let allocation = slot === 0 ? this.#allocation + size : this.#allocation + size - store.sizeAt(slot);
    if (this.#maxBytes !== 0 && allocation > this.#maxBytes) {
      slot = this.#makeRoom(key, size, slot);
      allocation = slot === 0 ? this.#allocation + size : this.#allocation + size - store.sizeAt(slot);
    }
    let version: number;
    let origin = this.#nodeId;
    let expiresAtMs = ttlMs > 0 ? now + ttlMs : 0;
    if (stamp === undefined) {
      version = this.#clock.issue(now, slot === 0 ? 0 : store.versionAt(slot));
    } else {
      this.#clock.observe(stamp.version);
      version = stamp.version;
      origin = stamp.origin;
      expiresAtMs = stamp.expiresAtMs;
    }
    if (slot === 0) {
      this.#insertNew(key, value, size, version, origin, now, ttlMs, expiresAtMs);
    } else {
      this.#allocation = allocation;
      store.overwrite(slot, value, size, version, origin, now, ttlMs, expiresAtMs);
      this.#tracker.rewrite(slot);
    }
  }

  /**
   * A write of `size` bytes for `key` (stored at `slot`, 0 = not stored) that would pass the byte
   * limit. `reject`: throws `CacheFullError` (upstream). `evict`: an item larger than the whole
   * limit throws `ItemTooLargeError` before anything is evicted; otherwise victims chosen by the
   * algorithm are evicted until the write fits. The key itself may be one of them (it is then
   * written as a new key): returns its slot, or 0 when it is no longer stored.
   */
  #makeRoom(key: string, size: number, slot: number): number {
    const max = this.#maxBytes;
    if (!this.#evictToFit) throw new CacheFullError(key, size, this.#allocation, max);
    if (size > max) throw new ItemTooLargeError(key, size, max);
    const store = this.#store;
    while (this.#allocation - (slot === 0 ? 0 : store.sizeAt(slot)) + size > max) {
      if (!this.evictOne()) throw new CacheFullError(key, size, this.#allocation, max);
      if (slot !== 0 && !store.isLive(slot)) slot = 0;
    }
    return slot;
  }

  stampOf(key: string): { version: number; origin: string } | undefined {
    const store = this.#store;
    const slot = store.find(key);
    return slot === 0 ? undefined : { version: store.versionAt(slot), origin: store.originAt(slot) };
  }

  keys(): string[] {
    return this.#store.list([]).map((item) => item.key);
  }

  remove(key: string): boolean {
    const slot = this.#store.find(key);
    if (slot === 0) return false;
    this.#allocation -= this.#store.sizeAt(slot);
    this.#store.delete(slot);
    return true;
  }

  clear(): void {
    // Clears the tracker too, hence the algorithm.
    this.#store.clear();
    this.#allocation = 0;
  }

  list(filters: ListFilter<V>[]): Readonly<CacheItem<V>>[] {
    return this.#backend.list(filters).map(copyItem);
  }

  evictOne(): boolean {
    // First attempt inline (the common case: the algorithm's victim is stored); retries out of line.
    const victim = this.#tracker.evictSlot();
    if (victim !== 0 && this.#store.isLive(victim)) {
      this.#evicted(victim);
      return true;
    }
    return this.#evictRetry();
  }

  /** Further attempts after one without a stored victim: a Clock lap may end without one; a stale key (not stored) is skipped. */
  #evictRetry(): boolean {
    const tracker = this.#tracker;
    for (let attempt = 1; attempt < MAX_EVICT_ATTEMPTS && tracker.length > 0; attempt++) {
      const victim = tracker.evictSlot();
      if (victim !== 0 && this.#store.isLive(victim)) {
        this.#evicted(victim);
        return true;
      }
    }
    return false;
  }

  /** Drops the record of `victim`, a slot the tracker has just released. */
  #evicted(victim: number): void {
    const store = this.#store;
    this.#allocation -= store.sizeAt(victim);
    store.discard(victim);
    this.#evictions++;
  }

  /** Removes every item expired at `nowMs`; `onRemoved` (when given) sees each removed one. Returns how many. */
  removeExpired(nowMs: number, onRemoved?: (key: string, version: number, origin: string) => void): number {
    const expired = this.#backend.list([filterFunc<V>((i) => i.expiresAtMs !== 0 && nowMs > i.expiresAtMs)]);
    let removed = 0;
    for (const item of expired) {
      if (!this.remove(item.key)) continue;
      removed++;
      onRemoved?.(item.key, item.version, item.origin);
    }
    this.#expirations += removed;
    return removed;
  }

  configure(capacity: number, maxEvictionCount: number): void {
    const plan = planEvictionTracking(this.#o, capacity, maxEvictionCount, this.#algorithm, this.#trackingCapacity);
    if (!this.#bound || plan.algorithm !== this.#algorithm) this.#bind(plan.algorithm, plan.retrack);
    this.#algorithm = plan.algorithm;
    this.#trackingCapacity = plan.trackingCapacity;
    const proactive = this.#o.evictionIntervalMs === 0 && capacity > 0;
    this.#insertBound = proactive ? capacity : this.#trackingCapacity;
  }

  /**
   * Moves the stored records to slots of a tracker for `algorithm`: the algorithm itself when it has
   * handles and was just built (`retrack`: every stored key is set into it, oldest access first),
   * else a keyed adapter (keys adopted without `set` for an instance used as is, or for `none`).
   */
  #bind(algorithm: EvictionAlgorithm<string>, retrack: boolean): void {
    this.#bound = true;
    if (retrack && hasEvictionHandles(algorithm)) {
      this.#tracker = algorithm;
      this.#store.rebind(algorithm, (key) => algorithm.insert(key), true);
      return;
    }
    const tracker = new KeyedSlotTracker(algorithm);
    this.#tracker = tracker;
    this.#store.rebind(tracker, retrack ? (key) => tracker.insert(key) : (key) => tracker.adopt(key), retrack);
  }

  /** A read of live `slot` at the clock's time: touches it and counts the hit, or counts the expired read; whether it hit. */
  #touched(slot: number): boolean {
    const hit = this.#store.hit(slot, this.#now(), this.#sliding);
    if (hit !== HIT) {
      this.#notHit(hit);
      return false;
    }
    this.#tracker.touch(slot);
    this.#hits++;
    return true;
  }

  // Cold paths live in their own methods so the read path stays small enough for V8 to inline.
  #miss(): undefined {
    this.#misses++;
    return undefined;
  }

  /** A read of a slot {@link SlotStore.hit} did not record: a miss when it holds no record, else an expired read. */
  #notHit(hit: number): undefined {
    return hit === ABSENT ? this.#miss() : this.#expired();
  }

  #expired(): undefined {
    this.#expiredReads++;
    this.#onExpiredRead();
    return undefined;
  }
}
