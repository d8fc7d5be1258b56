import type { EngineCounters } from './engine-counters';
import type { EvictionAlgorithm } from './eviction-algorithm';
import type { ResolvedHyperCacheOptions } from './hyper-cache-options';
import type { CacheItem, WriteStamp } from './item';
import type { ListFilter } from './list-filters';

/** `lookup` result for a missing key (counted as a miss). */
export const MISS: unique symbol = Symbol('miss');
/** `lookup` result for an expired-but-present key (counted as an expired read; a sweep was triggered). */
export const EXPIRED: unique symbol = Symbol('expired');

/** `evictOne` tries per victim; guards against caller-supplied algorithms that yield stale keys or end a lap empty. */
export const MAX_EVICT_ATTEMPTS = 64;

/** Wiring of an {@link EngineCore}, built once by `HyperCache`. */
export interface EngineCoreOptions<V> {
  readonly o: ResolvedHyperCacheOptions<V>;
  /** Called on every expired read (the engine triggers an expiration sweep). */
  readonly onExpiredRead: () => void;
}

/**
 * The data path of `HyperCache` (internal): storage, size accounting, versions, expiry on read and
 * eviction tracking, behind one of two implementations chosen at construction — the slot path over
 * an `InMemoryBackend` (one hash lookup per hit) or the record path over any other `Backend`. The
 * engine validates arguments and owns the loops; a core never sees invalid keys, values or TTLs.
 */
export interface EngineCore<V> {
  /** The eviction algorithm tracking keys (`none` while nothing can be evicted). */
  readonly algorithm: EvictionAlgorithm<string>;
  /** Summed size of stored items in bytes. */
  allocation(): number;
  /** Stored items, expired-but-not-swept included. */
  count(): number;
  /** Plain per-op counters. */
  counters(): EngineCounters;
  /**
   * Hit → the value, touched (access fields, algorithm, hits + 1). Miss → `undefined` (misses + 1).
   * Expired-but-present → `undefined` (expired reads + 1, `onExpiredRead`). Reads the clock only
   * when the key is found. The engine's hottest path.
   */
  read(key: string): V | undefined;
  /** Like `read` with the time already read (`getMultiple` reads it once per batch). */
  readAt(key: string, nowMs: number): V | undefined;
  /** Like `read` but tells a miss ({@link MISS}) from an expired read ({@link EXPIRED}) (`getOrSet`). */
  lookup(key: string): V | typeof MISS | typeof EXPIRED;
  /** Like `read` but returns a frozen copy of the touched record, `undefined` on a miss or expired read. */
  readInfo(key: string): Readonly<CacheItem<V>> | undefined;
  /**
   * Stores a validated write of `size` bytes made at `nowMs`, with a version issued on the engine's
   * clock (so `clock.last` is that version right after). Throws `CacheFullError`. Returns nothing:
   * the engine builds the returned record itself, in a function small enough to be inlined into
   * callers, so that V8 drops the allocation when the caller ignores it.
   */
  write(key: string, value: V, size: number, ttlMs: number, nowMs: number, stamp?: WriteStamp): void;
  /** Version stamp of the stored record (expired or not), untouched; undefined when absent. */
  stampOf(key: string): { version: number; origin: string } | undefined;
  /** Every stored key (expired-but-unswept included). */
  keys(): string[];
  /** Removes `key` (bytes and tracking); whether it existed. */
  remove(key: string): boolean;
  /** Removes everything, forgets all tracked keys and resets the byte accounting. */
  clear(): void;
  /** Frozen copies after `filters`, listed through the backend (engine.md §6). */
  list(filters: ListFilter<V>[]): Readonly<CacheItem<V>>[];
  /** Evicts one victim chosen by the algorithm; `false` when it proposes none. */
  evictOne(): boolean;
  /** Removes every item expired at `nowMs`, listed through the backend's filters; returns how many. */
  removeExpired(nowMs: number): number;
  /** (Re)plans eviction tracking for `capacity` and `maxEvictionCount` (construction, `setCapacity`). */
  configure(capacity: number, maxEvictionCount: number): void;
}
