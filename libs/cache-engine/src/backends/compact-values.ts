/**
 * Compact storage of small byte values (internal; a column of `SlotStore`, opt-in through the
 * engine's `compactValueBytes`): a `Buffer` of at most `maxBytes` bytes is stored as a one-byte
 * (latin1) string and read back as a fresh `Buffer` with the same bytes. latin1 maps each byte
 * 0–255 to one UTF-16 code unit ≤ 0xFF and back, so any bytes round-trip exactly, and V8 keeps such
 * a string in its one-byte form: 16 bytes of header + the bytes, on the heap, with no pointers for
 * the GC to trace. A `Buffer` costs ~200 bytes of V8 objects (Uint8Array, ArrayBuffer) plus an
 * off-heap backing store and its bookkeeping, and a request body is a view that keeps the whole
 * request's bytes alive: bench/memory/breakdown.mjs measured ~600 bytes of RSS per 64-byte value
 * handed over by the HTTP layer, against ~80 for the string. A read pays one small copy (pooled
 * `Buffer.from`), far below an HTTP request's cost.
 */
export class CompactValues {
  /** Largest value stored compactly, bytes; 0 = none from now on (stored ones still decode). */
  maxBytes: number;
  /** Per slot, 1 when the store holds an encoded value. */
  #encoded: Uint8Array<ArrayBuffer>;

  /**
   * @param maxBytes largest `Buffer` stored as a string (> 0).
   * @param slots initial slot capacity.
   */
  constructor(maxBytes: number, slots: number) {
    this.maxBytes = maxBytes;
    this.#encoded = new Uint8Array(slots);
  }

  /** What to store for `value` written to `slot`: its latin1 string when it is a small enough `Buffer`, else the value itself. */
  encode<V>(slot: number, value: V): V {
    if (value instanceof Buffer && value.length <= this.maxBytes && this.maxBytes !== 0) {
      this.#encoded[slot] = 1;
      return value.toString('latin1') as V;
    }
    this.#encoded[slot] = 0;
    return value;
  }

  /** The value of `slot` from what the store holds (a fresh `Buffer` for an encoded one). */
  decode<V>(slot: number, stored: V): V {
    return this.#encoded[slot] === 1 ? (Buffer.from(stored as string, 'latin1') as V) : stored;
  }

  /** Whether `slot` holds an encoded value. */
  isEncoded(slot: number): boolean {
    return this.#encoded[slot] === 1;
  }

  /** Marks `slot` as holding `encoded` (moving a stored value between slots). */
  mark(slot: number, encoded: boolean): void {
    this.#encoded[slot] = encoded ? 1 : 0;
  }

  /** Forgets `slot` (its value was removed). */
  clear(slot: number): void {
    this.#encoded[slot] = 0;
  }

  /** Grows to `slots` (≥ current), keeping every flag. */
  grow(slots: number): void {
    const b = new Uint8Array(slots);
    b.set(this.#encoded);
    this.#encoded = b;
  }

  /** Forgets every slot and shrinks to `slots`. */
  reset(slots: number): void {
    this.#encoded = new Uint8Array(slots);
  }
}
