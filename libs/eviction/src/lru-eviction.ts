import type { SlotEvictionAlgorithm } from './eviction-algorithm';
import { EVICTION_ALGORITHMS } from './eviction-algorithm';
import { type EvictionOptions, growInt32, initialSlotCount, resolveEvictionOptions } from './eviction-options';

/** Slot 0 is the sentinel of the circular recency list: next(0) = most recent, prev(0) = least. */
const HEAD = 0;
// Links of slot s: #links[2s] = next (towards less recent), #links[2s + 1] = prev. Interleaved so
// that a touch reads both links of its slot from one cache line (a read hit is memory-bound).
// Indexes are written `s << 1` and `(s << 1) | 1`: int32 operations without the overflow checks
// V8 emits for `2 * s + 1` (slots stay far below 2^30).

/**
 * Least-recently-used tracking (spec: eviction.md §2; name `lru`, the default).
 *
 * - `set`: new key → most recent; known key → moved to most recent (a write is a touch).
 * - `get`: known key → moved to most recent.
 * - `evict`: removes and returns the least recently set/got key.
 *
 * Layout: `Map<K, slot>` plus one `Int32Array` of next/prev links over slot indexes with a free list, so
 * no operation allocates once the arrays have grown to the working-set size. All operations O(1)
 * (amortised for growth). Keys are never dropped on insert; capacity is a preallocation hint only
 * (see {@link EvictionOptions}). Also offers the slot handles ({@link EvictionHandles}): `touch`,
 * `rewrite`, `remove` and `evictSlot` never hash.
 * @typeParam K key type (default string).
 */
export class LruEviction<K = string> implements SlotEvictionAlgorithm<K> {
  /** Registry name (`lru`). */
  readonly name: string = EVICTION_ALGORITHMS.lru;
  readonly #initialSlots: number;
  #index = new Map<K, number>();
  #keys: (K | undefined)[] = [];
  #links = new Int32Array(0);
  /** Head of the free-slot chain (linked through next); 0 = empty. */
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
    this.insert(key);
  }

  /** Like `set`; returns the key's slot. */
  insert(key: K): number {
    const slot = this.#index.get(key);
    if (slot !== undefined) {
      this.touch(slot);
      return slot;
    }
    return this.insertAbsent(key);
  }

  /** `insert` of a key known not to be tracked (no lookup); returns its slot. */
  insertAbsent(key: K): number {
    const s = this.#alloc();
    this.#keys[s] = key;
    this.#index.set(key, s);
    const links = this.#links;
    const first = links[HEAD << 1];
    links[s << 1] = first;
    links[(s << 1) | 1] = HEAD;
    links[(first << 1) | 1] = s;
    links[HEAD << 1] = s;
    return s;
  }

  /** Moves `key` to most recent; returns whether it is tracked. */
  get(key: K): boolean {
    const slot = this.#index.get(key);
    if (slot === undefined) return false;
    this.touch(slot);
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
    const slot = this.#links[(HEAD << 1) | 1];
    if (slot === HEAD) return undefined;
    const key = this.#keys[slot] as K;
    this.#index.delete(key);
    this.#release(slot);
    return key;
  }

  /** Slot of `key`, 0 when untracked. */
  slotOf(key: K): number {
    return this.#index.get(key) ?? 0;
  }

  /** Key in `slot`, `undefined` when the slot is free. */
  keyAt(slot: number): K | undefined {
    return this.#keys[slot];
  }

  /** Moves the key in `slot` to most recent (a write). */
  rewrite(slot: number): void {
    this.touch(slot);
  }

  /** Forgets the key in `slot`. */
  remove(slot: number): void {
    this.#index.delete(this.#keys[slot] as K);
    this.#release(slot);
  }

  /** Forgets the least recently used key and returns its slot; 0 when empty. */
  evictSlot(): number {
    const slot = this.#links[(HEAD << 1) | 1];
    if (slot === HEAD) return 0;
    this.#index.delete(this.#keys[slot] as K);
    this.#release(slot);
    return slot;
  }

  /** Forgets every key and shrinks the slot arrays back to their initial size. */
  clear(): void {
    this.#index.clear();
    this.#reset();
  }

  /** Moves the key in `slot` to most recent (a read hit). */
  touch(slot: number): void {
    const links = this.#links;
    const first = links[HEAD << 1];
    if (first === slot) return;
    const n = links[slot << 1];
    const p = links[(slot << 1) | 1];
    links[p << 1] = n;
    links[(n << 1) | 1] = p;
    links[slot << 1] = first;
    links[(slot << 1) | 1] = HEAD;
    links[(first << 1) | 1] = slot;
    links[HEAD << 1] = slot;
  }

  /** Unlinks `slot`, drops its key reference and pushes it on the free chain. */
  #release(slot: number): void {
    const links = this.#links;
    const n = links[slot << 1];
    const p = links[(slot << 1) | 1];
    links[p << 1] = n;
    links[(n << 1) | 1] = p;
    this.#keys[slot] = undefined;
    links[slot << 1] = this.#free;
    this.#free = slot;
  }

  #alloc(): number {
    const free = this.#free;
    if (free !== 0) {
      this.#free = this.#links[free << 1];
      return free;
    }
    const s = this.#top++;
    if (2 * s === this.#links.length) this.#links = growInt32(this.#links, 4 * s);
    return s;
  }

  #reset(): void {
    this.#keys = [];
    this.#links = new Int32Array(2 * this.#initialSlots);
    this.#free = 0;
    this.#top = 1;
  }
}
