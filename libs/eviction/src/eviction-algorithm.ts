/**
 * The contract every eviction algorithm implements (spec: eviction.md §1, engine.md §5).
 *
 * An algorithm only *tracks keys* and proposes victims; values live in the engine's store and the
 * engine removes the victim itself. TS deviations from the upstream interface, on purpose:
 * - no values: `set`/`get` take the key only;
 * - the algorithm never drops a key on insert (upstream silently evicted its own victim when "full",
 *   leaving the key in the cache but untracked, hence never evictable — engine.md §5 quirk). The
 *   engine decides when to evict and calls {@link EvictionAlgorithm.evict};
 * - `evict()` returns `undefined` only when nothing is tracked (upstream Clock could answer
 *   "not ok" while non-empty, which stops the engine's eviction pass early).
 *
 * Every operation is O(1) amortised. Instances are not shared across worker threads.
 * @typeParam K key type; the engine uses strings.
 */
export interface EvictionAlgorithm<K = string> {
  /** Registry name of the algorithm (`lru`, `lfu`, `clock`, `cawolfu`, `arc`, or a custom one). */
  readonly name: string;
  /** Number of keys currently tracked (candidates `evict()` can still return). */
  readonly length: number;
  /** Inserts `key` or, when tracked, records a write access to it. */
  set(key: K): void;
  /** Records a read hit on `key`; returns whether `key` is tracked. Unknown keys are not inserted. */
  get(key: K): boolean;
  /** Forgets `key`; returns whether it was tracked (unknown key → `false`, no-op). */
  delete(key: K): boolean;
  /** Chooses a victim, forgets it and returns it; `undefined` when nothing is tracked. */
  evict(): K | undefined;
  /** Forgets every key and resets adaptive state. */
  clear(): void;
}

/**
 * Builds an algorithm for a registry (spec: eviction.md §7, factory signature `(capacity) → algorithm`).
 * @param capacity item count the instance is sized for (≥ 0; 0 = unknown/unlimited). Only ARC
 *   treats it as a bound (its target and ghost lists); the others use it as a preallocation hint.
 */
export type EvictionAlgorithmFactory = (capacity: number) => EvictionAlgorithm<string>;

/**
 * Names of the built-in algorithms (spec: eviction.md §2–§6). `arc` is experimental and only present
 * in a registry when enabled explicitly.
 */
export const EVICTION_ALGORITHMS = {
  lru: 'lru',
  lfu: 'lfu',
  clock: 'clock',
  cawolfu: 'cawolfu',
  arc: 'arc',
} as const;

/** Union of the built-in algorithm names. */
export type EvictionAlgorithmName = (typeof EVICTION_ALGORITHMS)[keyof typeof EVICTION_ALGORITHMS];

/** Algorithm used when none is named (spec: eviction.md §2, config.md B.1 "empty → lru"). */
export const DEFAULT_EVICTION_ALGORITHM: EvictionAlgorithmName = EVICTION_ALGORITHMS.lru;
