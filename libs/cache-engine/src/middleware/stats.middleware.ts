import type { AsyncCacheService } from '../async-cache-service';
import type { CacheService, GetMultipleResult, ValueOrLoader } from '../cache-service';
import type { CacheItem } from '../item';
import type { ListFilter } from '../list-filters';
import type { StatAggregate, StatsCollector } from '../stats/stats-collector';
import type { AsyncMiddleware, Middleware } from './middleware';

/**
 * Stats middleware (engine.md §7, §9): per call records `hypercache_<op>_duration` (elapsed ns,
 * `timing`) and `hypercache_<op>_count` (+1) for get, set, get_or_set, get_with_info, get_multiple,
 * list, remove, clear, trigger_eviction, stop. Failed calls are recorded too.
 */
export class StatsMiddleware<V = unknown> implements CacheService<V> {
  readonly #next: CacheService<V>;
  readonly #stats: StatsCollector;

  constructor(next: CacheService<V>, collector: StatsCollector) {
    this.#next = next;
    this.#stats = collector;
  }

  get(key: string): V | undefined {
    const t = process.hrtime.bigint();
    try {
      return this.#next.get(key);
    } finally {
      this.#record('get', t);
    }
  }

  set(key: string, value: V, ttlMs?: number): Readonly<CacheItem<V>> {
    const t = process.hrtime.bigint();
    try {
      return this.#next.set(key, value, ttlMs);
    } finally {
      this.#record('set', t);
    }
  }

  async getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs?: number): Promise<V> {
    const t = process.hrtime.bigint();
    try {
      return await this.#next.getOrSet(key, loader, ttlMs);
    } finally {
      this.#record('get_or_set', t);
    }
  }

  getWithInfo(key: string): Readonly<CacheItem<V>> | undefined {
    const t = process.hrtime.bigint();
    try {
      return this.#next.getWithInfo(key);
    } finally {
      this.#record('get_with_info', t);
    }
  }

  getMultiple(keys: readonly string[]): GetMultipleResult<V> {
    const t = process.hrtime.bigint();
    try {
      return this.#next.getMultiple(keys);
    } finally {
      this.#record('get_multiple', t);
    }
  }

  list(...filters: ListFilter<V>[]): Readonly<CacheItem<V>>[] {
    const t = process.hrtime.bigint();
    try {
      return this.#next.list(...filters);
    } finally {
      this.#record('list', t);
    }
  }

  remove(...keys: string[]): number {
    const t = process.hrtime.bigint();
    try {
      return this.#next.remove(...keys);
    } finally {
      this.#record('remove', t);
    }
  }

  clear(): void {
    const t = process.hrtime.bigint();
    try {
      this.#next.clear();
    } finally {
      this.#record('clear', t);
    }
  }

  capacity(): number {
    return this.#next.capacity();
  }

  allocation(): number {
    return this.#next.allocation();
  }

  count(): number {
    return this.#next.count();
  }

  triggerEviction(): void {
    const t = process.hrtime.bigint();
    try {
      this.#next.triggerEviction();
    } finally {
      this.#record('trigger_eviction', t);
    }
  }

  async stop(): Promise<void> {
    const t = process.hrtime.bigint();
    try {
      await this.#next.stop();
    } finally {
      this.#record('stop', t);
    }
  }

  getStats(): Record<string, StatAggregate> {
    return this.#next.getStats();
  }

  #record(op: string, started: bigint): void {
    recordCall(this.#stats, op, started);
  }
}

/** Records one call of `op` started at `started` (hrtime ns): its duration and +1 count. */
function recordCall(stats: StatsCollector, op: string, started: bigint): void {
  stats.timing(`hypercache_${op}_duration`, Number(process.hrtime.bigint() - started));
  stats.incr(`hypercache_${op}_count`, 1);
}

/**
 * {@link StatsMiddleware} over the async service interface (`AsyncHyperCache`): the same stats,
 * each call timed until its promise settles (failed calls recorded too).
 */
export class AsyncStatsMiddleware<V = unknown> implements AsyncCacheService<V> {
  readonly #next: AsyncCacheService<V>;
  readonly #stats: StatsCollector;

  constructor(next: AsyncCacheService<V>, collector: StatsCollector) {
    this.#next = next;
    this.#stats = collector;
  }

  get(key: string): Promise<V | undefined> {
    return this.#timed('get', () => this.#next.get(key));
  }

  set(key: string, value: V, ttlMs?: number): Promise<Readonly<CacheItem<V>>> {
    return this.#timed('set', () => this.#next.set(key, value, ttlMs));
  }

  getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs?: number): Promise<V> {
    return this.#timed('get_or_set', () => this.#next.getOrSet(key, loader, ttlMs));
  }

  getWithInfo(key: string): Promise<Readonly<CacheItem<V>> | undefined> {
    return this.#timed('get_with_info', () => this.#next.getWithInfo(key));
  }

  getMultiple(keys: readonly string[]): Promise<GetMultipleResult<V>> {
    return this.#timed('get_multiple', () => this.#next.getMultiple(keys));
  }

  list(...filters: ListFilter<V>[]): Promise<Readonly<CacheItem<V>>[]> {
    return this.#timed('list', () => this.#next.list(...filters));
  }

  remove(...keys: string[]): Promise<number> {
    return this.#timed('remove', () => this.#next.remove(...keys));
  }

  clear(): Promise<void> {
    return this.#timed('clear', () => this.#next.clear());
  }

  capacity(): number {
    return this.#next.capacity();
  }

  count(): Promise<number> {
    return this.#next.count();
  }

  triggerEviction(): void {
    const t = process.hrtime.bigint();
    try {
      this.#next.triggerEviction();
    } finally {
      recordCall(this.#stats, 'trigger_eviction', t);
    }
  }

  stop(): Promise<void> {
    return this.#timed('stop', () => this.#next.stop());
  }

  getStats(): Record<string, StatAggregate> {
    return this.#next.getStats();
  }

  async #timed<T>(op: string, call: () => Promise<T>): Promise<T> {
    const t = process.hrtime.bigint();
    try {
      return await call();
    } finally {
      recordCall(this.#stats, op, t);
    }
  }
}

/** An {@link AsyncMiddleware} recording per-call duration and count into `collector` (normally the engine's own). */
export function asyncStatsMiddleware<V = unknown>(collector: StatsCollector): AsyncMiddleware<V> {
  return (next) => new AsyncStatsMiddleware(next, collector);
}

/** A {@link Middleware} recording per-call duration and count into `collector` (normally the engine's own). */
export function statsMiddleware<V = unknown>(collector: StatsCollector): Middleware<V> {
  return (next) => new StatsMiddleware(next, collector);
}
