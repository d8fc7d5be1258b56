import type { EvictionAlgorithm } from './eviction-algorithm';
import { EVICTION_ALGORITHMS } from './eviction-algorithm';
import { type EvictionOptions, growInt32, initialSlotCount, resolveEvictionOptions } from './eviction-options';

/** Slot 0 is the sentinel of the circular recency list: next[0] = most recent, prev[0] = least. */
const HEAD = 0;

/**
 * Least-recently-used tracking (spec: eviction.md §2; name `lru`, the default).
 *
 * - `set`: new key → most recent; known key → moved to most recent (a write is a touch).
 * - `get`: known key → moved to most recent.
 * - `evict`: removes and returns the least recently set/got key.
 *
 * Layout: `Map<K, slot>` plus `Int32Array` prev/next links over slot indexes with a free list, so
 * no operation allocates once the arrays have grown to the working-set size. All operations O(1)
 * (amortised for growth). Keys are never dropped on insert; capacity is a preallocation hint only
 * (see {@link EvictionOptions}).
 * @typeParam K key type (default string).
 */
export class LruEviction<K = string> implements EvictionAlgorithm<K> {
  /** Registry name (`lru`). */
  readonly name: string = EVICTION_ALGORITHMS.lru;
  readonly #initialSlots: number;
  #index = new Map<K, number>();
  #keys: (K | undefined)[] = [];
  #next = new Int32Array(0);
  #prev = new Int32Array(0);
  /** Head of the free-slot chain (linked through #next); 0 = empty. */
  #free = 0;
  /** First never-used slot. */
  #top = 1;

  /** @param options `capacity` (items, default 0): preallocation hint; negative → error. */
  constructor(options: EvictionOptions = {}) {
    this.#initialSlots = initialSlotCount(resolveEvictionOptions(options).capacity, 1);
    this.#reset();
  }

  /** Number of tracked keys. */
  get length(): number {
    return this.#index.size;
  }

  /** Inserts `key` as most recent, or moves it to most recent when already tracked. */
  set(key: K): void {
    const slot = this.#index.get(key);
    if (slot !== undefined) {
      this.#touch(slot);
      return;
    }
    const s = this.#alloc();
    this.#keys[s] = key;
    this.#index.set(key, s);
    const next = this.#next;
    const prev = this.#prev;
    const first = next[HEAD];
    next[s] = first;
    prev[s] = HEAD;
    prev[first] = s;
    next[HEAD] = s;
  }

  /** Moves `key` to most recent; returns whether it is tracked. */
  get(key: K): boolean {
    const slot = this.#index.get(key);
    if (slot === undefined) return false;
    this.#touch(slot);
    return true;
  }

  /** Forgets `key`; returns whether it was tracked. */
  delete(key: K): boolean {
    const slot = this.#index.get(key);
    if (slot === undefined) return false;
    this.#index.delete(key);
    this.#release(slot);
    return true;
  }

  /** Removes and returns the least recently used key; `undefined` when empty. */
  evict(): K | undefined {
    const slot = this.#prev[HEAD];
    if (slot === HEAD) return undefined;
    const key = this.#keys[slot] as K;
    this.#index.delete(key);
    this.#release(slot);
    return key;
  }

  /** Forgets every key and shrinks the slot arrays back to their initial size. */
  clear(): void {
    this.#index.clear();
    this.#reset();
  }

  #touch(slot: number): void {
    const next = this.#next;
    if (next[HEAD] === slot) return;
    const prev = this.#prev;
    const n = next[slot];
    const p = prev[slot];
    next[p] = n;
    prev[n] = p;
    const first = next[HEAD];
    next[slot] = first;
    prev[slot] = HEAD;
    prev[first] = slot;
    next[HEAD] = slot;
  }

  /** Unlinks `slot`, drops its key reference and pushes it on the free chain. */
  #release(slot: number): void {
    const next = this.#next;
    const prev = this.#prev;
    const n = next[slot];
    const p = prev[slot];
    next[p] = n;
    prev[n] = p;
    this.#keys[slot] = undefined;
    next[slot] = this.#free;
    this.#free = slot;
  }

  #alloc(): number {
    const free = this.#free;
    if (free !== 0) {
      this.#free = this.#next[free];
      return free;
    }
    const s = this.#top++;
    if (s === this.#next.length) {
      const size = s * 2;
      this.#next = growInt32(this.#next, size);
      this.#prev = growInt32(this.#prev, size);
    }
    return s;
  }

  #reset(): void {
    this.#keys = [];
    this.#next = new Int32Array(this.#initialSlots);
    this.#prev = new Int32Array(this.#initialSlots);
    this.#free = 0;
    this.#top = 1;
  }
}
