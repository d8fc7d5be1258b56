import type { CacheService, GetMultipleResult, ValueOrLoader } from '../cache-service';
import type { EngineLogger } from '../engine-logger';
import type { CacheItem } from '../item';
import type { ListFilter } from '../list-filters';
import type { StatAggregate } from '../stats/stats-collector';
import type { Middleware } from './middleware';

/**
 * Logging middleware (engine.md §9): logs `<op> called` with the key(s) and `<op> took` with
 * `elapsed_ns` at debug level. TS MUST NOT log values (upstream logs them on set/getOrSet).
 */
export class LoggingMiddleware<V = unknown> implements CacheService<V> {
  readonly #next: CacheService<V>;
  readonly #log: EngineLogger;

  constructor(next: CacheService<V>, logger: EngineLogger) {
    this.#next = next;
    this.#log = logger;
  }

  get(key: string): V | undefined {
    return this.#timed('get', { key }, () => this.#next.get(key));
  }

  set(key: string, value: V, ttlMs?: number): Readonly<CacheItem<V>> {
    return this.#timed('set', { key, ttl_ms: ttlMs ?? 0 }, () => this.#next.set(key, value, ttlMs));
  }

  async getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs?: number): Promise<V> {
    const started = this.#called('get_or_set', { key, ttl_ms: ttlMs ?? 0 });
    try {
      return await this.#next.getOrSet(key, loader, ttlMs);
    } finally {
      this.#took('get_or_set', started);
    }
  }

  getWithInfo(key: string): Readonly<CacheItem<V>> | undefined {
    return this.#timed('get_with_info', { key }, () => this.#next.getWithInfo(key));
  }

  getMultiple(keys: readonly string[]): GetMultipleResult<V> {
    return this.#timed('get_multiple', { keys: keys.length }, () => this.#next.getMultiple(keys));
  }

  list(...filters: ListFilter<V>[]): Readonly<CacheItem<V>>[] {
    return this.#timed('list', { filters: filters.length }, () => this.#next.list(...filters));
  }

  remove(...keys: string[]): number {
    return this.#timed('remove', { keys: keys.length }, () => this.#next.remove(...keys));
  }

  clear(): void {
    this.#timed('clear', {}, () => this.#next.clear());
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
    this.#timed('trigger_eviction', {}, () => this.#next.triggerEviction());
  }

  async stop(): Promise<void> {
    const started = this.#called('stop', {});
    try {
      await this.#next.stop();
    } finally {
      this.#took('stop', started);
    }
  }

  getStats(): Record<string, StatAggregate> {
    return this.#next.getStats();
  }

  #timed<T>(op: string, fields: object, call: () => T): T {
    const started = this.#called(op, fields);
    try {
      return call();
    } finally {
      this.#took(op, started);
    }
  }

  #called(op: string, fields: object): bigint {
    this.#log.debug({ op, ...fields }, `${op} called`);
    return process.hrtime.bigint();
  }

  #took(op: string, started: bigint): void {
    this.#log.debug({ op, elapsed_ns: Number(process.hrtime.bigint() - started) }, `${op} took`);
  }
}

/** A {@link Middleware} that logs calls to `logger` (never values). */
export function loggingMiddleware<V = unknown>(logger: EngineLogger): Middleware<V> {
  return (next) => new LoggingMiddleware(next, logger);
}
