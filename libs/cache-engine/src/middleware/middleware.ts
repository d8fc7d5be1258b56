import type { AsyncCacheService } from '../async-cache-service';
import type { CacheService } from '../cache-service';

/** A decorator of the service interface (engine.md §9): takes the next service, returns a wrapper. */
export type Middleware<V = unknown> = (next: CacheService<V>) => CacheService<V>;

/** A decorator of the async service interface (`AsyncHyperCache`): the same shape over promises. */
export type AsyncMiddleware<V = unknown> = (next: AsyncCacheService<V>) => AsyncCacheService<V>;

/**
 * Wraps `service` in `middlewares` in order, so the **last** one is the outermost (engine.md §9).
 * With no middlewares the service itself is returned (zero cost when unused).
 */
export function applyMiddleware<V>(service: CacheService<V>, ...middlewares: Middleware<V>[]): CacheService<V>;
/** The same over the async service interface (`AsyncHyperCache` with {@link AsyncMiddleware}s). */
export function applyMiddleware<V>(service: AsyncCacheService<V>, ...middlewares: AsyncMiddleware<V>[]): AsyncCacheService<V>;
export function applyMiddleware<S>(service: S, ...middlewares: Array<(next: S) => S>): S {
  let out = service;
  for (const m of middlewares) out = m(out);
  return out;
}
