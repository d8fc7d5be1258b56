import type { CacheService, GetMultipleResult, ValueOrLoader } from '../cache-service';
import type { CacheItem } from '../item';
import type { ListFilter } from '../list-filters';
import type { StatAggregate, StatsCollector } from '../stats/stats-collector';
import type { Middleware } from './middleware';

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
    this.#stats.timing(`hypercache_${op}_duration`, Number(process.hrtime.bigint() - started));
    this.#stats.incr(`hypercache_${op}_count`, 1);
  }
}

/** A {@link Middleware} recording per-call duration and count into `collector` (normally the engine's own). */
export function statsMiddleware<V = unknown>(collector: StatsCollector): Middleware<V> {
  return (next) => new StatsMiddleware(next, collector);
}
