import type { CacheService } from '../cache-service';

/** A decorator of the service interface (engine.md §9): takes the next service, returns a wrapper. */
export type Middleware<V = unknown> = (next: CacheService<V>) => CacheService<V>;

/**
 * Wraps `service` in `middlewares` in order, so the **last** one is the outermost (engine.md §9).
 * With no middlewares the service itself is returned (zero cost when unused).
 */
export function applyMiddleware<V>(service: CacheService<V>, ...middlewares: Middleware<V>[]): CacheService<V> {
  let out = service;
  for (const m of middlewares) out = m(out);
  return out;
}
