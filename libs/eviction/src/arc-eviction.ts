import { InvalidCapacityError } from './errors';
import type { SlotEvictionAlgorithm } from './eviction-algorithm';
import { EVICTION_ALGORITHMS } from './eviction-algorithm';
import type { ArcOptions, ArcSnapshot } from './arc-options';
import { growInt32, initialSlotCount, resolveEvictionOptions } from './eviction-options';

// List ids double as the sentinel slot of their circular list (slots 0..3).
const T1 = 0, T2 = 1, B1 = 2, B2 = 3;
/** Sentinel slot of the pending-victim queue (linked through #qNext/#qPrev). */
const PQ = 4;
const FIRST_SLOT = 5;
// Per-slot fields, one Int32Array row each (16 bytes: a read hit reads one row plus its neighbours').
const ROW = 4; // rows are indexed `(s << 2) | FIELD`: int32 operations without overflow checks
const NEXT = 0, PREV = 1, LIST = 2, PENDING = 3;
/** LIST value of a slot that is on none of T1/T2/B1/B2. */
const NONE = 255;
/** End of the free-slot chain (slot 0 is a sentinel, never free). */
const NIL = 0;

/**
 * Adaptive Replacement Cache (spec: eviction.md §6; name `arc`). **Experimental**: like upstream it
 * is not in the default registry; enable it with `registerArc(registry)` or
 * `createDefaultEvictionRegistry({ enableArc: true })`.
 *
 * Resident lists T1 (seen once) and T2 (seen twice or more), ghost lists B1/B2 (keys only), target
 * `p` for |T1|. `replace` demotes T1's LRU to B1 when `|T1| > p` (or `== p` on a B2 hit), else T2's.
 * - `get`: T1 hit → T2 head; T2 hit → T2 head. Ghosts are not hits.
 * - `set` resident: → T2 head. B1 ghost: `p += max(1, |B2| / |B1|)` (≤ c), B2 ghost:
 *   `p -= max(1, |B1| / |B2|)` (≥ 0); then `replace` if the residents are full, and → T2 head.
 *   New key with residents full: the spec's trimming (`|T1|+|B1| ≥ c` → drop B1's LRU and
 *   `replace` — TS adds this `replace`, as in the ARC paper; upstream skips it and lets the
 *   residents exceed c — or, when |T1| = c, demote T1's LRU; else drop B2's LRU when the
 *   directory holds 2c and `replace`), then → T1 head.
 * - `evict`: the oldest *pending* victim if any, else `replace` (the demoted key becomes a ghost).
 *
 * TS (docs/decisions.md E16): no silent drops — a key demoted by `set` stays tracked (in `length`)
 * as a pending victim until `evict()` hands it out, so |T1| + |T2| ≤ c always holds; |T1| + |B1| ≤ c
 * and the directory ≤ 2c after every insertion (oldest ghosts of B1, then B2, dropped); a ghost hit
 * calls `replace` only with the residents full; `replace` falls back to the other resident list.
 *
 * Slot handles ({@link EvictionHandles}): a tracked key keeps its slot until forgotten; a ghost keeps
 * it untracked (`slotOf` → 0; only `delete(key)` forgets it) until a ghost hit. Only `insert` hashes.
 * @typeParam K key type (default string).
 */
export class ArcEviction<K = string> implements SlotEvictionAlgorithm<K> {
  /** Registry name (`arc`). */
  readonly name: string = EVICTION_ALGORITHMS.arc;
  readonly #capacity: number;
  readonly #initialSlots: number;
  #p = 0;
  #sizes = [0, 0, 0, 0];
  #pendingSize = 0;
  #index = new Map<K, number>();
  #keys: (K | undefined)[] = [];
  /** A key the last `slotOf` found in no list (see `insertAbsent`); cleared when any key is admitted. */
  #absentKey: K | undefined = undefined;
  /** Rows of ROW int32 per slot: list links, list id, pending flag (1 = pending victim). */
  #row = new Int32Array(0);
  #qNext = new Int32Array(0);
  #qPrev = new Int32Array(0);
  #free = NIL;
  #top = FIRST_SLOT;

  /**
   * @param options `capacity` (items, required, ≥ 1).
   * @throws NegativeCapacityError below 0; InvalidCapacityError when 0 or not an integer.
   */
  constructor(options: ArcOptions) {
    const { capacity } = resolveEvictionOptions(options);
    if (capacity < 1) throw new InvalidCapacityError(capacity, 'must be at least 1 for arc');
    this.#capacity = capacity;
    this.#initialSlots = initialSlotCount(capacity * 2, FIRST_SLOT);
    this.#reset();
  }

  /** ARC's `c` (items). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Tracked keys: |T1| + |T2| + pending victims. */
  get length(): number {
    return this.#sizes[T1] + this.#sizes[T2] + this.#pendingSize;
  }

  /** Inserts or re-references `key` per ARC (see class doc). */
  set(key: K): void {
    this.insert(key);
  }

  /** Like `set`; returns the key's slot. */
  insert(key: K): number {
    const s = this.#index.get(key);
    if (s === undefined) return this.#insertNew(key);
    this.#reference(s);
    return s;
  }

  /**
   * `insert` of a key not tracked. ARC's index also holds its ghosts (a ghost hit adapts the
   * target), so this looks the key up, unless the last `slotOf` found the key in no list at all:
   * only an insert adds keys to the index, so it is still absent (the engine's write looks a key up,
   * evicts, then inserts it).
   */
  insertAbsent(key: K): number {
    if (key === this.#absentKey) return this.#insertNew(key);
    return this.insert(key);
  }

  /** Admits `key`, which is in no list (not even a ghost). */
  #insertNew(key: K): number {
    this.#absentKey = undefined;
    const s = this.#alloc();
    this.#keys[s] = key;
    this.#index.set(key, s);
    this.#admit(s);
    return s;
  }

  /** Records a read hit (T1 → T2, T2 refreshed); returns whether `key` is tracked (pending counts). */
  get(key: K): boolean {
    const s = this.#index.get(key);
    if (s === undefined || !this.#isTracked(s)) return false;
    this.touch(s);
    return true;
  }

  /** Forgets `key` from whichever list holds it; returns whether it was tracked (ghost only → false). */
  delete(key: K): boolean {
    const s = this.#index.get(key);
    if (s === undefined) return false;
    const tracked = this.#isTracked(s);
    this.remove(s);
    return tracked;
  }

  /** Returns the oldest pending victim, else demotes one resident via `replace`; `undefined` when empty. */
  evict(): K | undefined {
    const s = this.#takeVictim();
    if (s === 0) return undefined;
    const key = this.#keys[s] as K;
    if (this.#row[(s << 2) | LIST] === NONE) this.#release(s);
    return key;
  }

  /** Slot of `key` when tracked (resident or pending), else 0 (ghosts are not tracked). */
  slotOf(key: K): number {
    const s = this.#index.get(key);
    if (s === undefined) {
      this.#absentKey = key;
      return 0;
    }
    return this.#isTracked(s) ? s : 0;
  }

  /** Key tracked in `slot`; `undefined` for a free slot or a ghost. */
  keyAt(slot: number): K | undefined {
    return slot >= FIRST_SLOT && slot < this.#top && this.#isTracked(slot) ? this.#keys[slot] : undefined;
  }

  /** Records a read hit on the key in `slot` (T1/T2 → T2 head; pending: nothing). */
  touch(slot: number): void {
    // T1 = 0 and T2 = 1 are the only lists below B1 (NONE = 255 marks a pending victim).
    if (this.#row[(slot << 2) | LIST] < B1) this.#moveToFront(T2, slot);
  }

  /** Same as `set` on the key in `slot`. */
  rewrite(slot: number): void {
    this.#reference(slot);
  }

  /** Forgets the key in `slot` (no ghost is kept). */
  remove(slot: number): void {
    if (this.#row[(slot << 2) | LIST] !== NONE) this.#unlink(slot);
    if (this.#row[(slot << 2) | PENDING] === 1) this.#unqueue(slot);
    this.#release(slot);
  }

  /** Like `evict` but returns the victim's slot (it stays allocated while the key is a ghost); 0 when empty. */
  evictSlot(): number {
    const s = this.#takeVictim();
    if (s !== 0 && this.#row[(s << 2) | LIST] === NONE) this.#release(s);
    return s;
  }

  /** Forgets every key and ghost and resets `p` to 0. */
  clear(): void {
    this.#index.clear();
    this.#reset();
  }

  /** Copies the lists and `p` (O(n); for diagnostics and tests). */
  snapshot(): ArcSnapshot<K> {
    const list = (l: number): K[] => {
      const out: K[] = [];
      for (let s = this.#row[(l << 2) | NEXT]; s !== l; s = this.#row[(s << 2) | NEXT]) out.push(this.#keys[s] as K);
      return out;
    };
    const pending: K[] = [];
    for (let s = this.#qNext[PQ]; s !== PQ; s = this.#qNext[s]) pending.push(this.#keys[s] as K);
    return { p: this.#p, t1: list(T1), t2: list(T2), b1: list(B1), b2: list(B2), pending };
  }

  /** Unqueues the oldest pending victim, else demotes a resident (`replace`); its slot, 0 when empty. */
  #takeVictim(): number {
    if (this.#pendingSize === 0) return this.#sizes[T1] + this.#sizes[T2] === 0 ? 0 : this.#replace(false);
    const s = this.#qNext[PQ];
    this.#unqueue(s);
    return s;
  }

  /** `set` of a key that already has slot `s` (resident, pending or ghost). */
  #reference(s: number): void {
    const l = this.#row[(s << 2) | LIST];
    if (l === T1 || l === T2) {
      this.#moveToFront(T2, s);
      return;
    }
    if (this.#row[(s << 2) | PENDING] === 1) this.#unqueue(s);
    if (l === B1 || l === B2) {
      const c = this.#capacity;
      const sizes = this.#sizes;
      if (l === B1) this.#p = Math.min(c, this.#p + Math.max(1, Math.floor(sizes[B2] / Math.max(1, sizes[B1]))));
      else this.#p = Math.max(0, this.#p - Math.max(1, Math.floor(sizes[B1] / Math.max(1, sizes[B2]))));
      if (sizes[T1] + sizes[T2] >= c) this.#enqueue(this.#replace(l === B2));
      this.#moveToFront(T2, s);
      this.#enforceBounds();
      return;
    }
    // Pending victim no longer remembered as a ghost: treat as a new key, reusing its slot.
    this.#admit(s);
  }

  /** Admits slot `s` (on no list) to T1 per ARC, trimming the directory first when the residents are full. */
  #admit(s: number): void {
    const c = this.#capacity;
    const sizes = this.#sizes;
    if (sizes[T1] + sizes[T2] >= c) {
      if (sizes[T1] + sizes[B1] >= c) {
        if (sizes[T1] < c) {
          this.#dropOldest(B1);
          this.#enqueue(this.#replace(false));
        } else {
          const victim = this.#row[(T1 << 2) | PREV];
          this.#moveToFront(B1, victim);
          this.#enqueue(victim);
        }
      } else {
        if (sizes[T1] + sizes[T2] + sizes[B1] + sizes[B2] >= 2 * c) this.#dropOldest(B2);
        this.#enqueue(this.#replace(false));
      }
    }
    this.#moveToFront(T1, s);
    this.#enforceBounds();
  }

  /** Whether slot `s` holds a tracked key (resident or pending victim). */
  #isTracked(s: number): boolean {
    const l = this.#row[(s << 2) | LIST];
    return l === T1 || l === T2 || this.#row[(s << 2) | PENDING] === 1;
  }

  /**
   * Demotes one resident to its ghost list: T1's LRU when `|T1| > p` or (`inB2` and `|T1| == p`),
   * else T2's LRU; falls back to the other list when the chosen one is empty. Returns the slot.
   * Callers guarantee at least one resident.
   */
  #replace(inB2: boolean): number {
    const t1 = this.#sizes[T1];
    const p = this.#p;
    const fromT1 = t1 > 0 && ((inB2 && t1 === p) || t1 > p || this.#sizes[T2] === 0);
    const s = this.#row[((fromT1 ? T1 : T2) << 2) | PREV];
    this.#moveToFront(fromT1 ? B1 : B2, s);
    return s;
  }

  /** Drops ghosts (oldest first) until |T1|+|B1| ≤ c and the directory holds ≤ 2c keys. */
  #enforceBounds(): void {
    const c = this.#capacity;
    const sizes = this.#sizes;
    while (sizes[T1] + sizes[B1] > c && sizes[B1] > 0) this.#dropOldest(B1);
    // Now |T1| + |B1| ≤ c (as |T1| ≤ c) and |T2| ≤ c, so only B2 can push the directory past 2c.
    while (sizes[T1] + sizes[T2] + sizes[B1] + sizes[B2] > 2 * c) this.#dropOldest(B2);
  }

  /**
   * Removes the LRU ghost of the non-empty list `l` (B1 or B2), freeing its slot unless it is a
   * pending victim.
   */
  #dropOldest(l: number): void {
    const s = this.#row[(l << 2) | PREV];
    this.#unlink(s);
    if (this.#row[(s << 2) | PENDING] === 0) this.#release(s);
  }

  /** Moves slot `s` (on any list or none) to the head of list `l`. */
  #moveToFront(l: number, s: number): void {
    const row = this.#row;
    const r = s << 2;
    const from = row[r | LIST];
    if (from !== NONE) {
      if (row[(l << 2) | NEXT] === s) return;
      this.#unlinkRow(s);
    }
    if (from !== l) {
      // A T2 hit (the common read) stays on its list: no size or list-id writes.
      if (from !== NONE) this.#sizes[from]--;
      this.#sizes[l]++;
      row[r | LIST] = l;
    }
    const first = row[(l << 2) | NEXT];
    row[r | NEXT] = first;
    row[r | PREV] = l;
    row[(first << 2) | PREV] = s;
    row[(l << 2) | NEXT] = s;
  }

  /** Takes slot `s` off its list (sizes and list id updated). */
  #unlink(s: number): void {
    this.#unlinkRow(s);
    this.#sizes[this.#row[(s << 2) | LIST]]--;
    this.#row[(s << 2) | LIST] = NONE;
  }

  /** Joins the neighbours of slot `s` on its list; its own row, list id and the sizes are left as they are. */
  #unlinkRow(s: number): void {
    const row = this.#row;
    const n = row[(s << 2) | NEXT];
    const p = row[(s << 2) | PREV];
    row[(p << 2) | NEXT] = n;
    row[(n << 2) | PREV] = p;
  }

  /** Appends slot `s` to the pending-victim queue. */
  #enqueue(s: number): void {
    const last = this.#qPrev[PQ];
    this.#qNext[last] = s;
    this.#qPrev[s] = last;
    this.#qNext[s] = PQ;
    this.#qPrev[PQ] = s;
    this.#row[(s << 2) | PENDING] = 1;
    this.#pendingSize++;
  }

  #unqueue(s: number): void {
    const n = this.#qNext[s];
    const p = this.#qPrev[s];
    this.#qNext[p] = n;
    this.#qPrev[n] = p;
    this.#row[(s << 2) | PENDING] = 0;
    this.#pendingSize--;
  }

  /** Forgets the key of a slot that is on no list and not pending, and frees the slot. */
  #release(s: number): void {
    this.#index.delete(this.#keys[s] as K);
    this.#keys[s] = undefined;
    this.#row[(s << 2) | NEXT] = this.#free;
    this.#free = s;
  }

  #alloc(): number {
    const free = this.#free;
    if (free !== NIL) {
      this.#free = this.#row[(free << 2) | NEXT];
      return free;
    }
    const s = this.#top++;
    if (s === this.#qNext.length) {
      const size = s * 2;
      const row = new Int32Array(size * ROW);
      row.set(this.#row);
      for (let i = s; i < size; i++) row[(i << 2) | LIST] = NONE;
      this.#row = row;
      this.#qNext = growInt32(this.#qNext, size);
      this.#qPrev = growInt32(this.#qPrev, size);
    }
    return s;
  }

  #reset(): void {
    const n = this.#initialSlots;
    this.#absentKey = undefined;
    this.#p = 0;
    this.#sizes = [0, 0, 0, 0];
    this.#pendingSize = 0;
    this.#keys = [];
    this.#row = new Int32Array(n * ROW);
    for (let i = 0; i < n; i++) this.#row[(i << 2) | LIST] = NONE;
    this.#qNext = new Int32Array(n);
    this.#qPrev = new Int32Array(n);
    // Each list's sentinel (and the pending queue's) starts linked to itself: an empty circle.
    for (let l = T1; l <= B2; l++) this.#row[(l << 2) | NEXT] = this.#row[(l << 2) | PREV] = l;
    this.#qNext[PQ] = this.#qPrev[PQ] = PQ;
    this.#free = NIL;
    this.#top = FIRST_SLOT;
  }
}
