import type { AsyncCacheService } from '../async-cache-service';
import type { CacheService, GetMultipleResult, ValueOrLoader } from '../cache-service';
import type { EngineLogger } from '../engine-logger';
import type { CacheItem } from '../item';
import type { ListFilter } from '../list-filters';
import type { StatAggregate } from '../stats/stats-collector';
import type { AsyncMiddleware, Middleware } from './middleware';

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
    return logCalled(this.#log, op, fields);
  }

  #took(op: string, started: bigint): void {
    logTook(this.#log, op, started);
  }
}

/** Logs `<op> called` with `fields` at debug level; returns the start time (hrtime ns). */
function logCalled(log: EngineLogger, op: string, fields: object): bigint {
  log.debug({ op, ...fields }, `${op} called`);
  return process.hrtime.bigint();
}

/** Logs `<op> took` with `elapsed_ns` since `started` at debug level. */
function logTook(log: EngineLogger, op: string, started: bigint): void {
  log.debug({ op, elapsed_ns: Number(process.hrtime.bigint() - started) }, `${op} took`);
}

/**
 * {@link LoggingMiddleware} over the async service interface (`AsyncHyperCache`): the same lines,
 * `<op> took` once the call's promise settled. Never logs values.
 */
export class AsyncLoggingMiddleware<V = unknown> implements AsyncCacheService<V> {
  readonly #next: AsyncCacheService<V>;
  readonly #log: EngineLogger;

  constructor(next: AsyncCacheService<V>, logger: EngineLogger) {
    this.#next = next;
    this.#log = logger;
  }

  get(key: string): Promise<V | undefined> {
    return this.#timed('get', { key }, () => this.#next.get(key));
  }

  set(key: string, value: V, ttlMs?: number): Promise<Readonly<CacheItem<V>>> {
    return this.#timed('set', { key, ttl_ms: ttlMs ?? 0 }, () => this.#next.set(key, value, ttlMs));
  }

  getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs?: number): Promise<V> {
    return this.#timed('get_or_set', { key, ttl_ms: ttlMs ?? 0 }, () => this.#next.getOrSet(key, loader, ttlMs));
  }

  getWithInfo(key: string): Promise<Readonly<CacheItem<V>> | undefined> {
    return this.#timed('get_with_info', { key }, () => this.#next.getWithInfo(key));
  }

  getMultiple(keys: readonly string[]): Promise<GetMultipleResult<V>> {
    return this.#timed('get_multiple', { keys: keys.length }, () => this.#next.getMultiple(keys));
  }

  list(...filters: ListFilter<V>[]): Promise<Readonly<CacheItem<V>>[]> {
    return this.#timed('list', { filters: filters.length }, () => this.#next.list(...filters));
  }

  remove(...keys: string[]): Promise<number> {
    return this.#timed('remove', { keys: keys.length }, () => this.#next.remove(...keys));
  }

  clear(): Promise<void> {
    return this.#timed('clear', {}, () => this.#next.clear());
  }

  capacity(): number {
    return this.#next.capacity();
  }

  count(): Promise<number> {
    return this.#next.count();
  }

  triggerEviction(): void {
    const started = logCalled(this.#log, 'trigger_eviction', {});
    try {
      this.#next.triggerEviction();
    } finally {
      logTook(this.#log, 'trigger_eviction', started);
    }
  }

  stop(): Promise<void> {
    return this.#timed('stop', {}, () => this.#next.stop());
  }

  getStats(): Record<string, StatAggregate> {
    return this.#next.getStats();
  }

  async #timed<T>(op: string, fields: object, call: () => Promise<T>): Promise<T> {
    const started = logCalled(this.#log, op, fields);
    try {
      return await call();
    } finally {
      logTook(this.#log, op, started);
    }
  }
}

/** An {@link AsyncMiddleware} that logs calls to `logger` (never values). */
export function asyncLoggingMiddleware<V = unknown>(logger: EngineLogger): AsyncMiddleware<V> {
  return (next) => new AsyncLoggingMiddleware(next, logger);
}

/** A {@link Middleware} that logs calls to `logger` (never values). */
export function loggingMiddleware<V = unknown>(logger: EngineLogger): Middleware<V> {
  return (next) => new LoggingMiddleware(next, logger);
}
