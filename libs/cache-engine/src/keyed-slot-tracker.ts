import type { EvictionAlgorithm } from './eviction-algorithm';
import type { SlotTracker } from './slot-tracker';

/**
 * A {@link SlotTracker} over a key-only {@link EvictionAlgorithm} (internal): keeps its own
 * `Map<key, slot>` with a free list and forwards each slot operation to the algorithm by key.
 * Used for caller-supplied instances (used as is, engine.md §5), custom or sharded algorithms
 * without handles, `none` (nothing tracked), and a standalone in-memory backend.
 */
export class KeyedSlotTracker implements SlotTracker {
  readonly #algorithm: EvictionAlgorithm<string>;
  readonly #index = new Map<string, number>();
  #keys: (string | undefined)[] = [undefined];
  #free: number[] = [];

  /** @param algorithm receives `set`/`get`/`delete`/`evict`/`clear` by key. */
  constructor(algorithm: EvictionAlgorithm<string>) {
    this.#algorithm = algorithm;
  }

  /** The wrapped algorithm's `length`. */
  get length(): number {
    return this.#algorithm.length;
  }

  /** Slot of `key`, 0 when not held. */
  slotOf(key: string): number {
    return this.#index.get(key) ?? 0;
  }

  /** Key held in `slot`. */
  keyAt(slot: number): string | undefined {
    return this.#keys[slot];
  }

  /** Holds `key` and calls `algorithm.set(key)`; returns its slot. */
  insert(key: string): number {
    const slot = this.adopt(key);
    this.#algorithm.set(key);
    return slot;
  }

  /** Same as `insert` (the adapter's own lookup is cheap next to the algorithm's `set`). */
  insertAbsent(key: string): number {
    return this.insert(key);
  }

  /** Holds `key` without telling the algorithm (re-binding a store to an instance used as is). */
  adopt(key: string): number {
    const known = this.#index.get(key);
    if (known !== undefined) return known;
    const slot = this.#free.length > 0 ? (this.#free.pop() as number) : this.#keys.length;
    this.#keys[slot] = key;
    this.#index.set(key, slot);
    return slot;
  }

  /** `algorithm.get` on the key in `slot`. */
  touch(slot: number): void {
    this.#algorithm.get(this.#keys[slot] as string);
  }

  /** `algorithm.set` on the key in `slot`. */
  rewrite(slot: number): void {
    this.#algorithm.set(this.#keys[slot] as string);
  }

  /** `algorithm.delete` on the key in `slot`, then frees the slot. */
  remove(slot: number): void {
    const key = this.#keys[slot] as string;
    this.#algorithm.delete(key);
    this.#release(slot, key);
  }

  /** `algorithm.evict()`; frees and returns the victim's slot, 0 when none or when the victim is not held (stale). */
  evictSlot(): number {
    const key = this.#algorithm.evict();
    if (key === undefined) return 0;
    const slot = this.#index.get(key);
    if (slot === undefined) return 0;
    this.#release(slot, key);
    return slot;
  }

  /** `algorithm.clear()` and forgets every slot. */
  clear(): void {
    this.#algorithm.clear();
    this.#index.clear();
    this.#keys = [undefined];
    this.#free = [];
  }

  #release(slot: number, key: string): void {
    this.#index.delete(key);
    this.#keys[slot] = undefined;
    this.#free.push(slot);
  }
}
