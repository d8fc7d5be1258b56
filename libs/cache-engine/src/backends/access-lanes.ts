// Two int32 lanes per slot (8 bytes: a read hit writes one small row; bench/engine measured 8-byte
// rows ~10% faster than 16-byte ones on the hit path, which is memory-bound), and nothing else: the
// TTL flag is STATE's sign, so a hit on an item with a TTL learns it from the row it reads anyway
// (bench/engine: dropping the read of a separate flag byte column took ttl-get-hit from ~0.78 to
// ~0.95 of lru-cache). The fast path is
// one read, two compares and two writes: at
// 100 000 items a hit's cost is its cache misses *and* its instruction count, since fewer
// instructions per hit let the CPU overlap more of the next hits' misses (bench/engine: the same
// lanes behind a fast path of ~2x the instructions measured 0.71x of lru-cache, this one 0.8x).
// Slot s: STATE at 2s, ACCESSED at 2s + 1, written `s << 1` and `(s << 1) | 1` (int32 operations
// without the overflow checks V8 emits for `2 * s + 1`; slots stay far below 2^30).
/** STATE magnitude meaning "the exact access count is in #exactCounts". */
const COUNT_SPILLED = 0x7fffffff;
/** A positive STATE below this can take one more hit on the fast path. */
const FAST_LIMIT = COUNT_SPILLED - 1;
/** ACCESSED value meaning "the exact lastAccessMs is in #exactAccess". */
const ACCESS_SPILLED = -0x80000000;

/** {@link AccessLanes.tryTouch}: the access was recorded. */
export const TOUCHED = 1;
/** {@link AccessLanes.tryTouch}: the item has a TTL; nothing was written. */
export const HAS_TTL = 2;
/** {@link AccessLanes.tryTouch}: the access needs the exact path; nothing was written. */
export const NEEDS_RECORD = 0;
/** {@link AccessLanes.tryTouch}: the slot is free; nothing was written. */
export const FREE = 3;

/**
 * Per-slot access state of the in-memory store (internal): whether the slot is live, whether its
 * item has a TTL, its access count and its lastAccessMs — exact for any value, in 8 bytes per slot
 * in the common case.
 *
 * Lane STATE is 0 for a free slot, else ±(accessCount + 1): negative for an item with a TTL,
 * positive without. Lane ACCESSED is lastAccessMs − epoch, an int32 (±24.8 days). A count ≥ 2³¹ − 2
 * or a time that is not an integer (or is −0) spills to a sparse exact map (rare and slower, never
 * lossy); the magnitude COUNT_SPILLED marks a spilled count, and an item without TTL whose time
 * spills spills its count too, so a positive STATE below FAST_LIMIT always means "the fast path
 * applies". An integer time out of range re-bases the epoch (O(n); at most every ~24 days for a
 * real clock); live values that the new epoch cannot encode spill.
 */
export class AccessLanes {
  #lanes: Int32Array<ArrayBuffer>;
  #epochMs = Number.NaN;
  readonly #exactCounts = new Map<number, number>();
  readonly #exactAccess = new Map<number, number>();

  /** @param slots initial slot capacity. */
  constructor(slots: number) {
    this.#lanes = new Int32Array(slots * 2);
  }

  /** Slots allocated. */
  get slots(): number {
    return this.#lanes.length >> 1;
  }

  /** Grows to `slots` (≥ current), keeping every value. */
  grow(slots: number): void {
    const lanes = new Int32Array(slots * 2);
    lanes.set(this.#lanes);
    this.#lanes = lanes;
  }

  /** Whether `slot` is live (false past the end). */
  isLive(slot: number): boolean {
    const state = this.#lanes[slot << 1];
    return state > 0 || state < 0;
  }

  /** Whether the live item in `slot` has a TTL. */
  hasTtl(slot: number): boolean {
    return this.#lanes[slot << 1] < 0;
  }

  /**
   * The read-hit fast path: for an item without TTL, records an access at `nowMs` (count + 1) and
   * returns {@link TOUCHED} when the lanes can hold it; returns {@link HAS_TTL} (nothing written:
   * the caller checks expiry, then calls {@link record}) for an item with a TTL; else
   * {@link NEEDS_RECORD} (nothing written).
   */
  tryTouch(slot: number, nowMs: number): number {
    const lanes = this.#lanes;
    const l = slot << 1;
    const state = lanes[l];
    const offset = nowMs - this.#epochMs;
    // Time 0 goes the exact way: −0 cannot be encoded as epoch + offset.
    if (state > 0 && state < FAST_LIMIT && encodable(offset) && nowMs !== 0) {
      lanes[l] = state + 1;
      lanes[l | 1] = offset;
      return TOUCHED;
    }
    return state === 0 ? FREE : state < 0 ? HAS_TTL : NEEDS_RECORD;
  }

  /** Records an access to the live item in `slot` at `nowMs` (any count, any time). */
  record(slot: number, nowMs: number): void {
    const lanes = this.#lanes;
    const l = slot << 1;
    const state = lanes[l];
    const offset = nowMs - this.#epochMs;
    // The common case off the fast path: an item with a TTL (STATE < 0 without spills).
    if (state < 0 && state > -FAST_LIMIT && lanes[l | 1] !== ACCESS_SPILLED && encodable(offset) && nowMs !== 0) {
      lanes[l] = state - 1;
      lanes[l | 1] = offset;
      return;
    }
    this.#recordExact(slot, nowMs);
  }

  /** {@link record} for any values. */
  #recordExact(slot: number, nowMs: number): void {
    this.#setAccessed(slot, nowMs);
    this.#setCount(slot, this.accessCount(slot) + 1, this.hasTtl(slot));
  }

  /** Makes `slot` live with these access fields. */
  set(slot: number, accessCount: number, lastAccessMs: number, withTtl: boolean): void {
    const offset = lastAccessMs - this.#epochMs;
    // The engine's write (count 0, a time that fits) while nothing is spilled: two small writes.
    if (accessCount === 0 && encodable(offset) && lastAccessMs !== 0 && this.#nothingSpilled()) {
      const l = slot << 1;
      this.#lanes[l] = withTtl ? -1 : 1;
      this.#lanes[l | 1] = offset;
      return;
    }
    this.#setExact(slot, accessCount, lastAccessMs, withTtl);
  }

  /** {@link set} for any values. */
  #setExact(slot: number, accessCount: number, lastAccessMs: number, withTtl: boolean): void {
    this.#setAccessed(slot, lastAccessMs);
    this.#setCount(slot, accessCount, withTtl);
  }

  /** Frees `slot`. */
  clear(slot: number): void {
    const l = slot << 1;
    if (!this.#nothingSpilled()) {
      if (Math.abs(this.#lanes[l]) === COUNT_SPILLED) this.#exactCounts.delete(slot);
      if (this.#lanes[l | 1] === ACCESS_SPILLED) this.#exactAccess.delete(slot);
    }
    this.#lanes[l] = 0;
    this.#lanes[l | 1] = 0;
  }

  /** Access count of the live item in `slot`. */
  accessCount(slot: number): number {
    const magnitude = Math.abs(this.#lanes[slot << 1]);
    return magnitude === COUNT_SPILLED ? (this.#exactCounts.get(slot) as number) : magnitude - 1;
  }

  /** lastAccessMs of the live item in `slot`. */
  lastAccessMs(slot: number): number {
    const offset = this.#lanes[(slot << 1) | 1];
    return offset === ACCESS_SPILLED ? (this.#exactAccess.get(slot) as number) : this.#epochMs + offset;
  }

  /** Frees every slot and shrinks to `slots`; the epoch is kept. */
  reset(slots: number): void {
    this.#lanes = new Int32Array(slots * 2);
    this.#exactCounts.clear();
    this.#exactAccess.clear();
  }

  /** Whether no slot has a spilled count or time (then no slot needs its exact entries deleted). */
  #nothingSpilled(): boolean {
    return this.#exactCounts.size === 0 && this.#exactAccess.size === 0;
  }

  /**
   * Sets the count of live `slot` and STATE's sign (`withTtl`); the ACCESSED lane is current. An
   * item without TTL whose time is spilled spills its count too, keeping it off the fast path.
   */
  #setCount(slot: number, accessCount: number, withTtl: boolean): void {
    const l = slot << 1;
    if (Math.abs(this.#lanes[l]) === COUNT_SPILLED) this.#exactCounts.delete(slot);
    let magnitude = accessCount + 1;
    const fits = magnitude >= 1 && magnitude < COUNT_SPILLED && Number.isInteger(magnitude);
    if (!fits || (!withTtl && this.#lanes[l | 1] === ACCESS_SPILLED)) {
      magnitude = COUNT_SPILLED;
      this.#exactCounts.set(slot, accessCount);
    }
    this.#lanes[l] = withTtl ? -magnitude : magnitude;
  }

  /** Sets lastAccessMs of `slot` (the caller then sets the count, which keeps the fast path honest). */
  #setAccessed(slot: number, ms: number): void {
    let offset = ms - this.#epochMs;
    if (!encodable(offset) && Number.isInteger(ms) && !Object.is(ms, -0)) {
      this.#rebase(ms);
      offset = 0;
    }
    this.#storeAccessed(slot, ms, offset);
  }

  /** Stores `ms` (= epoch + `offset` when that encodes it) in the ACCESSED lane of `slot`, spilling when it cannot. */
  #storeAccessed(slot: number, ms: number, offset: number): void {
    const l = (slot << 1) | 1;
    if (this.#lanes[l] === ACCESS_SPILLED) this.#exactAccess.delete(slot);
    if (encodable(offset) && !Object.is(ms, -0)) {
      this.#lanes[l] = offset;
    } else {
      this.#lanes[l] = ACCESS_SPILLED;
      this.#exactAccess.set(slot, ms);
    }
  }

  /** Moves the epoch to `epochMs`, re-encoding every live slot's lastAccessMs (spilling what no longer fits). */
  #rebase(epochMs: number): void {
    const live: number[] = [];
    const exact: number[] = [];
    for (let slot = 0; slot < this.slots; slot++) {
      if (!this.isLive(slot)) continue;
      live.push(slot);
      exact.push(this.lastAccessMs(slot));
    }
    this.#epochMs = epochMs;
    for (let i = 0; i < live.length; i++) {
      const slot = live[i];
      this.#storeAccessed(slot, exact[i], exact[i] - epochMs);
      this.#setCount(slot, this.accessCount(slot), this.hasTtl(slot));
    }
  }
}

/** Whether `offset` fits the ACCESSED lane: an int32 (`(x | 0) === x` is false for NaN, fractions and out-of-range values) other than the spill marker. */
function encodable(offset: number): boolean {
  return (offset | 0) === offset && offset !== ACCESS_SPILLED;
}
