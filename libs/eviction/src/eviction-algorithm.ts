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
 * Optional slot-handle API of an {@link EvictionAlgorithm} (TS addition for the engine's hot path,
 * engine.md §5). Every built-in algorithm keeps each tracked key in an integer *slot* of its typed
 * arrays; a caller that remembers the slot (the engine stores its data in columns indexed by it)
 * records hits, writes and removals without hashing the key again.
 *
 * Each method is exactly a key-based operation addressed by slot (property specs check that mixed
 * key/handle sequences choose the same victims as key-only ones):
 * - `insert(k)` ≡ `set(k)`, returning `slotOf(k)`; `insertAbsent(k)` ≡ `insert(k)` for an untracked `k`;
 * - `touch(s)` ≡ `get(keyAt(s))`; `rewrite(s)` ≡ `set(keyAt(s))`; `remove(s)` ≡ `delete(keyAt(s))`;
 * - `evictSlot()` ≡ `evict()`, returning the victim's slot instead of its key (0 when empty).
 *
 * Slots are positive integers (0 = none). A slot stays its key's slot while the key is tracked and
 * may be handed to another key once it is forgotten (`remove`, `evict*`, `delete`, `clear`).
 * Passing a slot that holds no tracked key is a caller bug and is not checked (O(1), no hashing).
 * @typeParam K key type.
 */
export interface EvictionHandles<K = string> {
  /** Slot of `key` when tracked, else 0. One hash lookup. */
  slotOf(key: K): number;
  /** Key tracked in `slot`, `undefined` when the slot holds no tracked key. */
  keyAt(slot: number): K | undefined;
  /** Same as `set(key)` (insert, or record a write when tracked); returns the key's slot. */
  insert(key: K): number;
  /**
   * Same as `insert(key)` for a key the caller knows is not tracked, without looking it up (the
   * engine has just looked it up). Passing a tracked key is a caller bug and is not checked.
   */
  insertAbsent(key: K): number;
  /** Same as `get` on the key tracked in `slot` (a read hit). */
  touch(slot: number): void;
  /** Same as `set` on the key tracked in `slot` (a write to a tracked key). */
  rewrite(slot: number): void;
  /** Same as `delete` on the key tracked in `slot`. */
  remove(slot: number): void;
  /** Same as `evict()` but returns the victim's (now released) slot; 0 when nothing is tracked. */
  evictSlot(): number;
}

/** An algorithm that also offers the {@link EvictionHandles} (all built-ins except `ShardedEviction`). */
export type SlotEvictionAlgorithm<K = string> = EvictionAlgorithm<K> & EvictionHandles<K>;

/**
 * Builds an algorithm for a registry (spec: eviction.md §7, factory signature `(capacity) → algorithm`).
 * @param capacity item count the instance must be able to track (≥ 0; 0 = unknown/unlimited): a
 *   preallocation hint for the built-ins, which never drop keys; a bound for upstream-style custom
 *   algorithms that drop their own victim when full.
 * @param cacheCapacity the cache's own item bound when the caller knows it (TS extension, default
 *   `capacity`): an engine tracks up to 2 × its capacity while an eviction loop lags, and passes
 *   that as `capacity` and its real capacity here. ARC uses it as its `c` (target and ghost lists).
 */
export type EvictionAlgorithmFactory = (capacity: number, cacheCapacity?: number) => EvictionAlgorithm<string>;

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
