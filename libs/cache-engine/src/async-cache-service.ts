import type { GetMultipleResult, ValueOrLoader } from './cache-service';
import type { CacheItem } from './item';
import type { ListFilter } from './list-filters';
import type { StatAggregate } from './stats/stats-collector';

/**
 * The decoratable service interface of `AsyncHyperCache` (engine.md §9 over a backend with I/O):
 * `CacheService`'s operations, each data operation answering with a promise. No `allocation`
 * (the async engine keeps no byte accounting; docs/decisions.md B15). Async middlewares wrap it.
 */
export interface AsyncCacheService<V = unknown> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, ttlMs?: number): Promise<Readonly<CacheItem<V>>>;
  getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs?: number): Promise<V>;
  getWithInfo(key: string): Promise<Readonly<CacheItem<V>> | undefined>;
  getMultiple(keys: readonly string[]): Promise<GetMultipleResult<V>>;
  list(...filters: ListFilter<V>[]): Promise<Readonly<CacheItem<V>>[]>;
  remove(...keys: string[]): Promise<number>;
  clear(): Promise<void>;
  capacity(): number;
  count(): Promise<number>;
  triggerEviction(): void;
  stop(): Promise<void>;
  getStats(): Record<string, StatAggregate>;
}
