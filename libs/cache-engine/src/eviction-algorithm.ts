import type { EvictionAlgorithm } from '@hypercache/eviction';

/**
 * The eviction contract the engine drives (eviction.md §1, `@hypercache/eviction`): `set` on
 * writes, `get` on read hits (TS decision, engine.md §5), `delete` on remove, `evict` to pick
 * victims, `clear` on clear.
 */
export type { EvictionAlgorithm };

/**
 * Creates an algorithm by registered name, able to track `capacity` items, for a cache holding
 * `cacheCapacity` items (default `capacity`; ARC's `c`). Unknown name → throws (`algorithm not found`).
 */
export type NamedAlgorithmFactory = (name: string, capacity: number, cacheCapacity?: number) => EvictionAlgorithm<string>;

/** Stand-in used while nothing can be evicted (capacity 0 and maxEvictionCount 0): tracking costs nothing. */
export const NO_EVICTION: EvictionAlgorithm<string> = Object.freeze({
  name: 'none',
  length: 0,
  set: () => undefined,
  get: () => false,
  delete: () => false,
  evict: () => undefined,
  clear: () => undefined,
});
