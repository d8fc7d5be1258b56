import type { EvictionAlgorithm, SlotEvictionAlgorithm } from '@hypercache/eviction';

/**
 * Where the in-memory store gets its slots from (internal): a key → slot index. Slots are positive
 * integers, 0 = none; a key keeps its slot until it is removed, evicted or cleared.
 */
export interface SlotSource {
  /** Slot of `key`, 0 when the source does not hold it. */
  slotOf(key: string): number;
  /** Key held in `slot` (the store keeps no key column of its own). */
  keyAt(slot: number): string | undefined;
  /** Holds `key` (recording a write access when it tracks keys) and returns its slot. */
  insert(key: string): number;
  /** `insert` of a key the source does not hold (the caller has just looked it up): no lookup. */
  insertAbsent(key: string): number;
  /** Forgets the key in `slot`. */
  remove(slot: number): void;
  /** Forgets every key. */
  clear(): void;
}

/**
 * What the engine's in-memory fast path drives (internal): a {@link SlotSource} that also tracks keys
 * for eviction, addressed by slot. A built-in algorithm with handles (`EvictionHandles`) *is* one;
 * `KeyedSlotTracker` adapts any key-only algorithm.
 */
export interface SlotTracker extends SlotSource {
  /** Keys the eviction algorithm tracks (0 for `none`). */
  readonly length: number;
  /** Records a read hit on the key in `slot`. */
  touch(slot: number): void;
  /** Records a write to the key in `slot`. */
  rewrite(slot: number): void;
  /** Forgets the algorithm's victim and returns its released slot; 0 when it proposes none this time. */
  evictSlot(): number;
}

/**
 * Whether `algorithm` offers the slot handles (eviction.md §1 TS addition). Checked once, when the
 * engine builds its tracking, never per operation.
 */
export function hasEvictionHandles(algorithm: EvictionAlgorithm<string>): algorithm is SlotEvictionAlgorithm<string> {
  const a = algorithm as Partial<SlotEvictionAlgorithm<string>>;
  return (
    typeof a.slotOf === 'function' &&
    typeof a.insert === 'function' &&
    typeof a.insertAbsent === 'function' &&
    typeof a.touch === 'function' &&
    typeof a.rewrite === 'function' &&
    typeof a.remove === 'function' &&
    typeof a.evictSlot === 'function'
  );
}
