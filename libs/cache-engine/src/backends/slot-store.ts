import { itemOf, type CacheItem } from '../item';
import { AccessLanes, FREE, HAS_TTL, TOUCHED } from './access-lanes';
import { CompactValues } from './compact-values';
import { applyListFilters, type ListFilter } from '../list-filters';
import type { SlotSource } from '../slot-tracker';

// Columns per slot, laid out for the read hit (each random cache line costs as much as the hash
// lookup; bench/engine measured one 64-byte row per slot at ~0.5x of lru-cache, this at ~0.8-0.9x):
// - access lanes (AccessLanes, 8 bytes): live flag, TTL flag, accessCount and lastAccessMs, so a
//   hit on an item without TTL reads and writes only this small row;
// - expires (8 bytes): expiresAtMs, read by hits on items with a TTL, and ttls (8 bytes): ttlMs,
//   read only by sliding-expiry hits, in two columns so an absolute-expiry hit reads half the
//   bytes. Kept apart from the write-side fields: in one 48-byte row with them, the TTL hit's row
//   read missed in the CPU cache far more often (bench/engine ttl-get-hit 0.43x of lru-cache
//   against 0.66x);
// - COLD, 4 doubles: version, lastUpdatedMs, size and the insertion sequence, which only writes,
//   evictions and listings use;
// - values: one dense array (read by every hit; an interleaved [key, value, origin] array measured
//   ~0.65x instead of ~0.8x). Keys are the source's (`keyAt`); origins are one common origin plus
//   a sparse map of the slots whose origin differs (engine writes all carry the node's ID), so a
//   write touches no key or origin column. Opt-in compact values (`CompactValues`): small
//   Buffers stored as latin1 strings (the server's bytes per item, bench/memory).
const COLD = 4;
const VERSION = 0;
const UPDATED = 1;
const SIZE = 2;
const SEQ = 3;
const MIN_SLOTS = 16;

/** {@link SlotStore.hit}: the access was recorded. */
export const HIT = 1;
/** {@link SlotStore.hit}: the item is expired; nothing was written. */
export const STALE = 0;
/** {@link SlotStore.hit}: the slot holds no record. */
export const ABSENT = -1;

/**
 * The in-memory store (internal; engine.md §11 `in-memory` backend): records as columns indexed by
 * slot (keys, values, origins, plus one row of numbers per slot), the key → slot index being a
 * {@link SlotSource} — the engine's eviction algorithm when it has handles. A read hit is one hash
 * lookup (the source's) and a few typed-array accesses; no per-item object is allocated or
 * retained, so writes create no GC work beyond the caller's key and value. Records are
 * materialized on demand as fresh objects.
 * @typeParam V value type.
 */
export class SlotStore<V> {
  #source: SlotSource;
  readonly #access = new AccessLanes(MIN_SLOTS);
  #expires = new Float64Array(0);
  #ttls = new Float64Array(0);
  #cold = new Float64Array(0);
  #values: (V | undefined)[] = [];
  /** Compact value encoding, when on (`setCompactBytes`). */
  #compact: CompactValues | undefined = undefined;
  /** Origin of every live slot not in #otherOrigins (the first origin written). */
  #origin: string | undefined = undefined;
  readonly #otherOrigins = new Map<number, string>();
  /** Slots allocated in the columns. */
  #slots = 0;
  /** One past the highest slot written since the last reset (scan bound). */
  #top = 1;
  #count = 0;
  #seq = 0;

  /** @param source key → slot index (its slots index the columns). */
  constructor(source: SlotSource) {
    this.#source = source;
    this.#reset();
  }

  /** Live records. */
  get count(): number {
    return this.#count;
  }

  /** Slot of `key` when stored, else 0 (one hash lookup). */
  find(key: string): number {
    const slot = this.#source.slotOf(key);
    // Slot 0 (not found) is never live.
    return this.#access.isLive(slot) ? slot : 0;
  }

  /**
   * Slot the source holds for `key`, else 0, without the liveness check of {@link find}: a read
   * passes it to {@link hit}, which answers {@link ABSENT} for a slot holding no record (the source
   * holds exactly the stored keys unless its algorithm was driven from outside the engine).
   */
  slotOf(key: string): number {
    return this.#source.slotOf(key);
  }

  /** Whether `slot` holds a record. */
  isLive(slot: number): boolean {
    return this.#access.isLive(slot);
  }

  /**
   * A read hit at `nowMs` on `slot` (from {@link slotOf}, not 0): {@link HIT} after recording the
   * access (lastAccess, accessCount + 1; for `sliding` an item with a TTL expires at now + TTL);
   * {@link STALE} when the item is expired (engine.md §3: `ttlMs !== 0 && nowMs > expiresAtMs`;
   * nothing is written); {@link ABSENT} when the slot holds no record.
   */
  hit(slot: number, nowMs: number, sliding: boolean): number {
    // Kept small so V8 inlines it into the engine's read.
    const touched = this.#access.tryTouch(slot, nowMs);
    return touched === TOUCHED ? HIT : this.#hitSlow(slot, nowMs, sliding, touched);
  }

  /** Stored value of a live slot (a compact value comes back as a fresh Buffer holding the same bytes). */
  valueAt(slot: number): V {
    const compact = this.#compact;
    return compact === undefined ? (this.#values[slot] as V) : compact.decode(slot, this.#values[slot] as V);
  }

  /**
   * Compact values for later writes (see `CompactValues`): a `Buffer` of at most `maxBytes` bytes
   * is stored as a latin1 string and read back as a new `Buffer` with the same bytes, so a read no
   * longer returns the written object. 0 = off for later writes. Stored values always read back as
   * written, whatever the setting was when they were written.
   */
  setCompactBytes(maxBytes: number): void {
    if (this.#compact !== undefined) this.#compact.maxBytes = maxBytes;
    else if (maxBytes > 0) this.#compact = new CompactValues(maxBytes, this.#slots);
  }

  /** Stored size in bytes of a live slot. */
  sizeAt(slot: number): number {
    return this.#cold[slot * COLD + SIZE];
  }

  /** Version of a live slot. */
  versionAt(slot: number): number {
    return this.#cold[slot * COLD + VERSION];
  }

  /** Origin (node ID that assigned the version) of a live slot. */
  originAt(slot: number): string {
    return this.#otherOrigins.get(slot) ?? (this.#origin as string);
  }

  /** Stores a record for `key`, which is not stored ({@link find} answered 0), written at `nowMs` (never read) in a slot from the source; returns the slot. */
  insert(
    key: string,
    value: V,
    size: number,
    version: number,
    origin: string,
    nowMs: number,
    ttlMs: number,
    expiresAtMs = ttlMs > 0 ? nowMs + ttlMs : 0,
  ): number {
    const slot = this.#source.insertAbsent(key);
    this.#writeFresh(slot, value, size, version, origin, nowMs, ttlMs, expiresAtMs);
    return slot;
  }

  /** Replaces the record in live `slot` by one written at `nowMs` (it keeps its place in `list` order). */
  overwrite(
    slot: number,
    value: V,
    size: number,
    version: number,
    origin: string,
    nowMs: number,
    ttlMs: number,
    expiresAtMs = ttlMs > 0 ? nowMs + ttlMs : 0,
  ): void {
    this.#write(slot, value, size, version, origin, nowMs, nowMs, ttlMs, expiresAtMs, 0);
  }

  /** Stores `item` as given (every field), inserting or replacing by key; returns the slot. */
  put(item: Readonly<CacheItem<V>>): number {
    let slot = this.find(item.key);
    if (slot === 0) slot = this.#source.insert(item.key);
    const { value, size, version, origin, lastUpdatedMs, lastAccessMs, ttlMs, expiresAtMs, accessCount } = item;
    this.#write(slot, value, size, version, origin, lastUpdatedMs, lastAccessMs, ttlMs, expiresAtMs, accessCount);
    return slot;
  }

  /** Removes the record in live `slot` and frees the slot in the source. */
  delete(slot: number): void {
    this.#source.remove(slot);
    this.discard(slot);
  }

  /** Removes the record in live `slot` whose slot the source has already released (an eviction victim). */
  discard(slot: number): void {
    this.#values[slot] = undefined;
    this.#compact?.clear(slot);
    if (this.#otherOrigins.size !== 0) this.#otherOrigins.delete(slot);
    this.#access.clear(slot);
    this.#count--;
  }

  /** A fresh (unfrozen) record built from live `slot`. */
  materialize(slot: number): CacheItem<V> {
    const cold = this.#cold;
    const c = slot * COLD;
    return itemOf(
      this.#source.keyAt(slot) as string,
      this.valueAt(slot),
      cold[c + SIZE],
      cold[c + VERSION],
      this.originAt(slot),
      cold[c + UPDATED],
      this.#access.lastAccessMs(slot),
      this.#ttls[slot],
      this.#expires[slot],
      this.#access.accessCount(slot),
    );
  }

  /** Fresh records in insertion order (an overwrite keeps its place), after applying `filters` (engine.md §6). */
  list(filters: readonly ListFilter<V>[]): CacheItem<V>[] {
    return applyListFilters(
      this.#liveSlots().map((slot) => this.materialize(slot)),
      filters,
    );
  }

  /** Deletes every record, clears the source and shrinks the columns. */
  clear(): void {
    this.#source.clear();
    this.#reset();
  }

  /**
   * Moves every record to slots of `source` (the old one is dropped): `place(key)` is called once per
   * key, oldest access first when `byLastAccess` (ties and otherwise: insertion order), and returns
   * the key's new slot. Records keep every field and their `list` order. O(n log n).
   */
  rebind(source: SlotSource, place: (key: string) => number, byLastAccess: boolean): void {
    const live = this.#liveSlots();
    const access = this.#access;
    const accessed = live.map((slot) => access.lastAccessMs(slot));
    const counts = live.map((slot) => access.accessCount(slot));
    const withTtl = live.map((slot) => access.hasTtl(slot));
    const cold = this.#cold;
    const expires = this.#expires;
    const ttls = this.#ttls;
    const values = this.#values;
    const compact = this.#compact;
    const encoded = compact === undefined ? [] : live.map((slot) => compact.isEncoded(slot));
    const origin = this.#origin;
    const otherOrigins = new Map(this.#otherOrigins);
    const oldSource = this.#source;
    const keys = live.map((slot) => oldSource.keyAt(slot) as string);
    const order = live.map((_, i) => i);
    if (byLastAccess) order.sort((a, b) => accessed[a] - accessed[b]);
    this.#source = source;
    const seq = this.#seq;
    this.#reset();
    this.#seq = seq;
    this.#origin = origin;
    for (const i of order) {
      const from = live[i];
      const to = place(keys[i]);
      if (to >= this.#top) {
        this.#top = to + 1;
        if (to >= this.#slots) this.#grow(to);
      }
      access.set(to, counts[i], accessed[i], withTtl[i]);
      this.#cold.set(cold.subarray(from * COLD, from * COLD + COLD), to * COLD);
      this.#expires[to] = expires[from];
      this.#ttls[to] = ttls[from];
      this.#values[to] = values[from];
      compact?.mark(to, encoded[i]);
      const other = otherOrigins.get(from);
      if (other !== undefined) this.#otherOrigins.set(to, other);
      this.#count++;
    }
  }

  /** A hit the access lanes did not record: a free slot, an item with a TTL (expiry, sliding) or a value needing the exact maps. */
  #hitSlow(slot: number, nowMs: number, sliding: boolean, touched: number): number {
    if (touched === FREE) return ABSENT;
    if (touched === HAS_TTL) {
      const expires = this.#expires;
      if (nowMs > expires[slot]) return STALE;
      if (sliding) expires[slot] = nowMs + this.#ttls[slot];
    }
    this.#access.record(slot, nowMs);
    return HIT;
  }

  #write(
    slot: number,
    value: V,
    size: number,
    version: number,
    origin: string,
    lastUpdatedMs: number,
    lastAccessMs: number,
    ttlMs: number,
    expiresAtMs: number,
    accessCount: number,
  ): void {
    if (slot >= this.#top) this.#extend(slot);
    if (!this.#access.isLive(slot)) {
      this.#cold[slot * COLD + SEQ] = ++this.#seq;
      this.#count++;
    }
    this.#access.set(slot, accessCount, lastAccessMs, ttlMs !== 0);
    this.#fill(slot, value, size, version, origin, lastUpdatedMs, ttlMs, expiresAtMs);
  }

  /** {@link #write} of a record written now into a slot the source has just handed out (not live). */
  #writeFresh(slot: number, value: V, size: number, version: number, origin: string, nowMs: number, ttlMs: number, expiresAtMs: number): void {
    if (slot >= this.#top) this.#extend(slot);
    this.#cold[slot * COLD + SEQ] = ++this.#seq;
    this.#count++;
    this.#access.set(slot, 0, nowMs, ttlMs !== 0);
    this.#fill(slot, value, size, version, origin, nowMs, ttlMs, expiresAtMs);
  }

  /** Writes the row, the value and the origin of `slot`. */
  #fill(slot: number, value: V, size: number, version: number, origin: string, lastUpdatedMs: number, ttlMs: number, expiresAtMs: number): void {
    this.#expires[slot] = expiresAtMs;
    this.#ttls[slot] = ttlMs;
    const cold = this.#cold;
    const c = slot * COLD;
    cold[c + VERSION] = version;
    cold[c + UPDATED] = lastUpdatedMs;
    cold[c + SIZE] = size;
    const compact = this.#compact;
    this.#values[slot] = compact === undefined ? value : compact.encode(slot, value);
    if (origin !== this.#origin) this.#setOtherOrigin(slot, origin);
    else if (this.#otherOrigins.size !== 0) this.#otherOrigins.delete(slot);
  }

  /** Raises the scan bound past `slot`, growing the columns when it does not fit. */
  #extend(slot: number): void {
    this.#top = slot + 1;
    if (slot >= this.#slots) this.#grow(slot);
  }

  /** Records `origin` for `slot` when it is not the common one (the first origin written becomes it). */
  #setOtherOrigin(slot: number, origin: string): void {
    if (this.#origin === undefined) {
      this.#origin = origin;
      this.#otherOrigins.delete(slot);
    } else {
      this.#otherOrigins.set(slot, origin);
    }
  }

  /** Live slots in insertion order. */
  #liveSlots(): number[] {
    const cold = this.#cold;
    const live: number[] = [];
    for (let slot = 1; slot < this.#top; slot++) if (this.isLive(slot)) live.push(slot);
    return live.sort((a, b) => cold[a * COLD + SEQ] - cold[b * COLD + SEQ]);
  }

  /** Grows the columns (doubling) so that `slot` fits. */
  #grow(slot: number): void {
    let n = this.#slots;
    while (n <= slot) n *= 2;
    this.#access.grow(n);
    this.#expires = grow(this.#expires, n);
    this.#ttls = grow(this.#ttls, n);
    this.#cold = grow(this.#cold, n * COLD);
    this.#values.length = n;
    this.#values.fill(undefined, this.#slots);
    this.#compact?.grow(n);
    this.#slots = n;
  }

  #reset(): void {
    this.#access.reset(MIN_SLOTS);
    this.#expires = new Float64Array(MIN_SLOTS);
    this.#ttls = new Float64Array(MIN_SLOTS);
    this.#cold = new Float64Array(MIN_SLOTS * COLD);
    this.#values = new Array<V | undefined>(MIN_SLOTS).fill(undefined);
    this.#compact?.reset(MIN_SLOTS);
    this.#origin = undefined;
    this.#otherOrigins.clear();
    this.#slots = MIN_SLOTS;
    this.#top = 1;
    this.#count = 0;
    this.#seq = 0;
  }
}

function grow(a: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(length);
  b.set(a);
  return b;
}
