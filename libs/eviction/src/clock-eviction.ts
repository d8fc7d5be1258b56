import { InvalidEvictionOptionError } from './errors';
import type { SlotEvictionAlgorithm } from './eviction-algorithm';
import { EVICTION_ALGORITHMS } from './eviction-algorithm';
import { type EvictionOptions, growInt32, initialSlotCount, resolveEvictionOptions } from './eviction-options';

/** Slot 0 is never used, so 0 means "no slot" (empty ring, end of free chain). */
const NIL = 0;

/** Largest accepted {@link ClockOptions.maxAccessCount} (fits the Int32Array counters). */
const MAX_ACCESS_COUNT_LIMIT = 0x7fffffff;

/** Options of {@link ClockEviction}. */
export interface ClockOptions extends EvictionOptions {
  /**
   * Saturation value of the per-entry access counter. Default 1: a classic reference bit, i.e.
   * exactly one second chance per access burst. Larger values let an entry accessed n times
   * survive up to n sweeps (upstream counters are unbounded). Positive integer ≤ 2^31 − 1.
   */
  readonly maxAccessCount?: number;
}

/**
 * Clock / second-chance tracking (spec: eviction.md §4; name `clock`).
 *
 * Keys sit on a circular ring with a hand. Each entry has an access counter in
 * `[0, maxAccessCount]` (default max 1: a reference bit).
 * - `set`: new key → inserted just behind the hand (so it is the last one the hand reaches) with
 *   counter 0; known key → counter + 1 (saturating).
 * - `get`: known key → counter + 1 (saturating).
 * - `evict`: from the hand, an entry with counter > 0 is skipped once with its counter decremented
 *   (its second chance); the first entry found at 0 is removed and returned, the hand moving past
 *   it. Always yields a victim when non-empty.
 *
 * TS differences from upstream (recorded decisions): new entries start unreferenced (upstream 1,
 * which with a bit would make `set a, set b, get a` evict `a` first instead of `b`); counters
 * saturate (upstream grows without bound, pinning hot keys); `evict` keeps sweeping until it finds
 * a victim (upstream gives up after one lap); the ring grows instead of refusing new keys.
 *
 * Amortised O(1): every skip consumes one counter unit that an O(1) `set`/`get` added. The ring is
 * a doubly linked list over `Int32Array` slots, so deleting any key is O(1) and leaves no holes.
 * Also offers the slot handles ({@link EvictionHandles}): `touch`, `rewrite`, `remove` and
 * `evictSlot` never hash.
 * @typeParam K key type (default string).
 */
export class ClockEviction<K = string> implements SlotEvictionAlgorithm<K> {
  /** Registry name (`clock`). */
  readonly name: string = EVICTION_ALGORITHMS.clock;
  readonly #initialSlots: number;
  readonly #maxAccessCount: number;
  #index = new Map<K, number>();
  #keys: (K | undefined)[] = [];
  #next = new Int32Array(0);
  #prev = new Int32Array(0);
  #counts = new Int32Array(0);
  /** Slot under the hand; NIL when the ring is empty. */
  #hand = NIL;
  #free = NIL;
  #top = 1;

  /**
   * @param options `capacity` (items, default 0): preallocation hint; `maxAccessCount` (default 1).
   * @throws InvalidEvictionOptionError when `maxAccessCount` is not a positive integer ≤ 2^31 − 1.
   */
  constructor(options: ClockOptions = {}) {
    const { capacity } = resolveEvictionOptions(options);
    const max = options.maxAccessCount ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > MAX_ACCESS_COUNT_LIMIT) {
      throw new InvalidEvictionOptionError('maxAccessCount', max, 'a positive integer ≤ 2147483647');
    }
    this.#maxAccessCount = max;
    this.#initialSlots = initialSlotCount(capacity, 1);
    this.#reset();
  }

  /** Number of tracked keys. */
  get length(): number {
    return this.#index.size;
  }

  /** Inserts `key` behind the hand (counter 0), or counts an access when tracked. */
  set(key: K): void {
    this.insert(key);
  }

  /** Like `set`; returns the key's slot. */
  insert(key: K): number {
    const slot = this.#index.get(key);
    if (slot !== undefined) {
      this.#reference(slot);
      return slot;
    }
    return this.insertAbsent(key);
  }

  /** `insert` of a key known not to be tracked (no lookup); returns its slot. */
  insertAbsent(key: K): number {
    const s = this.#alloc();
    this.#keys[s] = key;
    this.#counts[s] = 0;
    this.#index.set(key, s);
    const hand = this.#hand;
    if (hand === NIL) {
      this.#next[s] = s;
      this.#prev[s] = s;
      this.#hand = s;
      return s;
    }
    const p = this.#prev[hand];
    this.#next[p] = s;
    this.#prev[s] = p;
    this.#next[s] = hand;
    this.#prev[hand] = s;
    return s;
  }

  /** Counts an access to `key`; returns whether it is tracked. */
  get(key: K): boolean {
    const slot = this.#index.get(key);
    if (slot === undefined) return false;
    this.#reference(slot);
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

  /** Sweeps from the hand (second chance) and returns the first unreferenced key; `undefined` when empty. */
  evict(): K | undefined {
    if (this.#hand === NIL) return undefined;
    const s = this.#sweep();
    const key = this.#keys[s] as K;
    this.#index.delete(key);
    this.#release(s);
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

  /** Counts a read access to the key in `slot`. */
  touch(slot: number): void {
    this.#reference(slot);
  }

  /** Counts a write access to the key in `slot`. */
  rewrite(slot: number): void {
    this.#reference(slot);
  }

  /** Forgets the key in `slot`. */
  remove(slot: number): void {
    this.#index.delete(this.#keys[slot] as K);
    this.#release(slot);
  }

  /** Like `evict` but returns the victim's slot; 0 when empty. */
  evictSlot(): number {
    if (this.#hand === NIL) return 0;
    const s = this.#sweep();
    this.#index.delete(this.#keys[s] as K);
    this.#release(s);
    return s;
  }

  /** Forgets every key and shrinks the slot arrays back to their initial size. */
  clear(): void {
    this.#index.clear();
    this.#reset();
  }

  /** Moves the hand to the first entry at counter 0 (decrementing the ones it skips); ring non-empty. */
  #sweep(): number {
    let s = this.#hand;
    const counts = this.#counts;
    const next = this.#next;
    while (counts[s] > 0) {
      counts[s]--;
      s = next[s];
    }
    this.#hand = s;
    return s;
  }

  #reference(slot: number): void {
    if (this.#counts[slot] < this.#maxAccessCount) this.#counts[slot]++;
  }

  /** Unlinks `slot` from the ring (moving the hand past it) and frees it. */
  #release(slot: number): void {
    const next = this.#next;
    const n = next[slot];
    if (n === slot) {
      this.#hand = NIL;
    } else {
      const p = this.#prev[slot];
      next[p] = n;
      this.#prev[n] = p;
      if (this.#hand === slot) this.#hand = n;
    }
    this.#keys[slot] = undefined;
    next[slot] = this.#free;
    this.#free = slot;
  }

  #alloc(): number {
    const free = this.#free;
    if (free !== NIL) {
      this.#free = this.#next[free];
      return free;
    }
    const s = this.#top++;
    if (s === this.#next.length) {
      const size = s * 2;
      this.#next = growInt32(this.#next, size);
      this.#prev = growInt32(this.#prev, size);
      this.#counts = growInt32(this.#counts, size);
    }
    return s;
  }

  #reset(): void {
    const n = this.#initialSlots;
    this.#keys = [];
    this.#next = new Int32Array(n);
    this.#prev = new Int32Array(n);
    this.#counts = new Int32Array(n);
    this.#hand = NIL;
    this.#free = NIL;
    this.#top = 1;
  }
}
