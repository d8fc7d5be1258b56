import type { CacheError } from './errors';
import type { CacheItem } from './item';
import type { ListFilter } from './list-filters';
import type { StatAggregate } from './stats/stats-collector';

/** A value, or a loader that produces it (sync or async). Function-typed values must be wrapped in a loader. */
export type ValueOrLoader<V> = V | (() => V | Promise<V>);

/** Result of `getMultiple` (engine.md §2): hits, and per failed key a `KeyNotFoundError` (or `TypeMismatchError` in `Typed`). */
export interface GetMultipleResult<V> {
  found: Map<string, V>;
  failed: Map<string, CacheError>;
}

/**
 * The decoratable service interface (engine.md §9). `HyperCache` implements it; middlewares wrap it.
 * Times in ms, sizes in bytes.
 */
export interface CacheService<V = unknown> {
  get(key: string): V | undefined;
  set(key: string, value: V, ttlMs?: number): Readonly<CacheItem<V>>;
  getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs?: number): Promise<V>;
  getWithInfo(key: string): Readonly<CacheItem<V>> | undefined;
  getMultiple(keys: readonly string[]): GetMultipleResult<V>;
  list(...filters: ListFilter<V>[]): Readonly<CacheItem<V>>[];
  remove(...keys: string[]): number;
  clear(): void;
  capacity(): number;
  allocation(): number;
  count(): number;
  triggerEviction(): void;
  stop(): Promise<void>;
  getStats(): Record<string, StatAggregate>;
}
