import type { SlotEvictionAlgorithm } from './eviction-algorithm';
import { EVICTION_ALGORITHMS } from './eviction-algorithm';
import { type EvictionOptions, growInt32, initialSlotCount, resolveEvictionOptions } from './eviction-options';

/** Bucket 0 is the sentinel of the circular bucket list (ascending frequency); entry 0 = null. */
const NIL = 0;
// Entry fields, one 16-byte Int32Array row per entry (lane 3 unused, for alignment): a read hit
// reads the entry's row plus its neighbours'.
const ROW = 4; // rows are indexed `(e << 2) | FIELD`: int32 operations without overflow checks
const E_PREV = 0;
const E_NEXT = 1;
const E_BUCKET = 2;
// Bucket fields, one 16-byte Int32Array row per bucket.
const B_ROW = 4;
const B_PREV = 0;
const B_NEXT = 1;
const B_OLDEST = 2;
const B_NEWEST = 3;

/**
 * Least-frequently-used tracking with LRU tie-break (spec: eviction.md §3; name `lfu`).
 *
 * - `set`: new key → count 1, newest among count 1; known key → count + 1, newest among its count.
 * - `get`: known key → count + 1, newest among its new count.
 * - `evict`: the key with the lowest count; among equal counts the one touched longest ago
 *   (insertion order when never touched since).
 *
 * O(1) LFU: frequency buckets in a doubly linked list sorted by count, each holding a doubly linked
 * list of its entries from oldest to newest touch. A touched entry moves to the newest end of the
 * bucket for count + 1, so each bucket stays ordered by the spec's `last` stamp without storing it.
 * Entries and buckets live in `Int32Array`s indexed by slot, with free lists. Counts are doubles
 * (exact up to 2^53). Keys are never dropped on insert. Also offers the slot handles
 * ({@link EvictionHandles}): `touch`, `rewrite`, `remove` and `evictSlot` never hash.
 * @typeParam K key type (default string).
 */
export class LfuEviction<K = string> implements SlotEvictionAlgorithm<K> {
  /** Registry name (`lfu`). */
  readonly name: string = EVICTION_ALGORITHMS.lfu;
  readonly #initialSlots: number;
  #index = new Map<K, number>();
  #keys: (K | undefined)[] = [];
  // Entry slots (1..): links inside their bucket (NIL-terminated) and owning bucket.
  #entries = new Int32Array(0);
  #eFree = NIL;
  #eTop = 1;
  // Bucket slots (1..; 0 = sentinel): circular list by ascending count, oldest/newest entry.
  // One 16-byte row per bucket (prev, next, oldest, newest), so a touch reads one row, not four arrays.
  #buckets = new Int32Array(0);
  #bCount = new Float64Array(0);
  #bFree = NIL;
  #bTop = 1;

  /** @param options `capacity` (items, default 0): preallocation hint; negative → error. */
  constructor(options: EvictionOptions = {}) {
    this.#initialSlots = initialSlotCount(resolveEvictionOptions(options).capacity, 1);
    this.#reset();
  }

  /** Number of tracked keys. */
  get length(): number {
    return this.#index.size;
  }

  /** Inserts `key` with count 1, or counts a write access when tracked. */
  set(key: K): void {
    this.insert(key);
  }

  /** Like `set`; returns the key's slot. */
  insert(key: K): number {
    const slot = this.#index.get(key);
    if (slot !== undefined) {
      this.#touch(slot);
      return slot;
    }
    return this.insertAbsent(key);
  }

  /** `insert` of a key known not to be tracked (no lookup); returns its slot. */
  insertAbsent(key: K): number {
    const e = this.#allocEntry();
    this.#keys[e] = key;
    this.#index.set(key, e);
    const first = this.#buckets[(NIL << 2) | B_NEXT];
    const b = first !== NIL && this.#bCount[first] === 1 ? first : this.#newBucketAfter(NIL, 1);
    this.#append(b, e);
    return e;
  }

  /** Counts a read access to `key`; returns whether it is tracked. */
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
    this.#detach(slot);
    this.#freeEntry(slot);
    return true;
  }

  /** Removes and returns the least frequently used key (oldest touch on ties); `undefined` when empty. */
  evict(): K | undefined {
    const b = this.#buckets[(NIL << 2) | B_NEXT];
    if (b === NIL) return undefined;
    const e = this.#buckets[(b << 2) | B_OLDEST];
    const key = this.#keys[e] as K;
    this.#index.delete(key);
    this.#detach(e);
    this.#freeEntry(e);
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
    this.#touch(slot);
  }

  /** Counts a write access to the key in `slot`. */
  rewrite(slot: number): void {
    this.#touch(slot);
  }

  /** Forgets the key in `slot`. */
  remove(slot: number): void {
    this.#index.delete(this.#keys[slot] as K);
    this.#detach(slot);
    this.#freeEntry(slot);
  }

  /** Forgets the least frequently used key (oldest touch on ties) and returns its slot; 0 when empty. */
  evictSlot(): number {
    const b = this.#buckets[(NIL << 2) | B_NEXT];
    if (b === NIL) return 0;
    const e = this.#buckets[(b << 2) | B_OLDEST];
    this.#index.delete(this.#keys[e] as K);
    this.#detach(e);
    this.#freeEntry(e);
    return e;
  }

  /** Forgets every key and shrinks the slot arrays back to their initial size. */
  clear(): void {
    this.#index.clear();
    this.#reset();
  }

  /** Moves entry `e` from its bucket (count f) to the newest end of the bucket for f + 1. */
  #touch(e: number): void {
    // The common case inline (a read hit): the bucket for f + 1 exists. Arrays in locals, rows
    // indexed once: every typed-array access is a few instructions of a hit's budget.
    const entries = this.#entries;
    const buckets = this.#buckets;
    const counts = this.#bCount;
    const row = e << 2;
    const b = entries[row | E_BUCKET];
    const count = counts[b] + 1;
    const nb = buckets[(b << 2) | B_NEXT];
    if (nb === NIL || counts[nb] !== count) {
      this.#touchToNewBucket(e, b, count);
      return;
    }
    const p = entries[row | E_PREV];
    const n = entries[row | E_NEXT];
    if (p === NIL) buckets[(b << 2) | B_OLDEST] = n;
    else entries[(p << 2) | E_NEXT] = n;
    if (n === NIL) buckets[(b << 2) | B_NEWEST] = p;
    else entries[(n << 2) | E_PREV] = p;
    if (p === NIL && n === NIL) this.#freeBucket(b);
    // Bucket nb is in the list, so it holds an entry: its newest is never NIL.
    const newest = buckets[(nb << 2) | B_NEWEST];
    entries[row | E_PREV] = newest;
    entries[row | E_NEXT] = NIL;
    entries[row | E_BUCKET] = nb;
    entries[(newest << 2) | E_NEXT] = e;
    buckets[(nb << 2) | B_NEWEST] = e;
  }

  /** {@link #touch} when no bucket holds count `count` = f + 1 yet (`b`: the entry's bucket). */
  #touchToNewBucket(e: number, b: number, count: number): void {
    if (this.#buckets[(b << 2) | B_OLDEST] === e && this.#buckets[(b << 2) | B_NEWEST] === e) {
      // Sole entry: bump the bucket in place; order is preserved because the next bucket (if
      // any) has a count > f + 1.
      this.#bCount[b] = count;
      return;
    }
    const target = this.#newBucketAfter(b, count);
    this.#detach(e);
    this.#append(target, e);
  }

  /** Appends entry `e` as the newest of bucket `b`. */
  #append(b: number, e: number): void {
    const newest = this.#buckets[(b << 2) | B_NEWEST];
    this.#entries[(e << 2) | E_PREV] = newest;
    this.#entries[(e << 2) | E_NEXT] = NIL;
    this.#entries[(e << 2) | E_BUCKET] = b;
    if (newest === NIL) this.#buckets[(b << 2) | B_OLDEST] = e;
    else this.#entries[(newest << 2) | E_NEXT] = e;
    this.#buckets[(b << 2) | B_NEWEST] = e;
  }

  /** Unlinks entry `e` from its bucket and frees the bucket when it becomes empty. */
  #detach(e: number): void {
    const b = this.#entries[(e << 2) | E_BUCKET];
    const p = this.#entries[(e << 2) | E_PREV];
    const n = this.#entries[(e << 2) | E_NEXT];
    if (p === NIL) this.#buckets[(b << 2) | B_OLDEST] = n;
    else this.#entries[(p << 2) | E_NEXT] = n;
    if (n === NIL) this.#buckets[(b << 2) | B_NEWEST] = p;
    else this.#entries[(n << 2) | E_PREV] = p;
    if (this.#buckets[(b << 2) | B_OLDEST] === NIL) this.#freeBucket(b);
  }

  /** Unlinks empty bucket `b` from the bucket list and pushes it on the free chain. */
  #freeBucket(b: number): void {
    const bp = this.#buckets[(b << 2) | B_PREV];
    const bn = this.#buckets[(b << 2) | B_NEXT];
    this.#buckets[(bp << 2) | B_NEXT] = bn;
    this.#buckets[(bn << 2) | B_PREV] = bp;
    this.#buckets[(b << 2) | B_NEXT] = this.#bFree;
    this.#bFree = b;
  }

  #newBucketAfter(after: number, count: number): number {
    let b = this.#bFree;
    if (b !== NIL) {
      this.#bFree = this.#buckets[(b << 2) | B_NEXT];
    } else {
      b = this.#bTop++;
      if (b === this.#bCount.length) this.#growBuckets(b * 2);
    }
    const bn = this.#buckets[(after << 2) | B_NEXT];
    this.#buckets[(b << 2) | B_PREV] = after;
    this.#buckets[(b << 2) | B_NEXT] = bn;
    this.#buckets[(bn << 2) | B_PREV] = b;
    this.#buckets[(after << 2) | B_NEXT] = b;
    this.#buckets[(b << 2) | B_OLDEST] = NIL;
    this.#buckets[(b << 2) | B_NEWEST] = NIL;
    this.#bCount[b] = count;
    return b;
  }

  #allocEntry(): number {
    const free = this.#eFree;
    if (free !== NIL) {
      this.#eFree = this.#entries[(free << 2) | E_NEXT];
      return free;
    }
    const e = this.#eTop++;
    if (e * ROW === this.#entries.length) this.#entries = growInt32(this.#entries, e * 2 * ROW);
    return e;
  }

  #freeEntry(e: number): void {
    this.#keys[e] = undefined;
    this.#entries[(e << 2) | E_NEXT] = this.#eFree;
    this.#eFree = e;
  }

  #growBuckets(size: number): void {
    this.#buckets = growInt32(this.#buckets, size * B_ROW);
    const counts = new Float64Array(size);
    counts.set(this.#bCount);
    this.#bCount = counts;
  }

  #reset(): void {
    const n = this.#initialSlots;
    this.#keys = [];
    this.#entries = new Int32Array(n * ROW);
    this.#eFree = NIL;
    this.#eTop = 1;
    // Buckets never outnumber entries, but start small: most workloads use few distinct counts.
    const buckets = Math.min(n, 64);
    this.#buckets = new Int32Array(buckets * B_ROW);
    this.#bCount = new Float64Array(buckets);
    this.#bFree = NIL;
    this.#bTop = 1;
  }
}
