/**
 * Hybrid logical clock for item versions (dist-protocol.md §4). Keeps `last`, the highest version
 * issued or seen; issues `max(last + 1, floor(nowMs) × 1000, floor + 1)`. Versions stay below 2^53
 * until the year 2255 and allow 1 000 versions per ms before borrowing from the future.
 */
export class HybridLogicalClock {
  // `last` lives in a one-element Float64Array: versions (~1.8e15) are not small integers, and V8
  // kept the plain field tagged, so every write allocated a HeapNumber for it (bench/engine set-evict).
  readonly #last = new Float64Array(1);

  /** @param initial highest version already issued or seen (default 0). */
  constructor(initial = 0) {
    this.#last[0] = initial;
  }

  /** The highest version issued or observed so far. */
  get last(): number {
    return this.#last[0];
  }

  /**
   * Issues a version for a write on the primary path at wall time `nowMs` (epoch ms). `floor` is the
   * highest version the new one must beat (the local item's and/or tombstone's version; 0 if none).
   */
  issue(nowMs: number, floor = 0): number {
    const last = this.#last;
    let v = last[0] + 1;
    const wall = Math.floor(nowMs) * 1000;
    if (wall > v) v = wall;
    if (floor >= v) v = floor + 1;
    last[0] = v;
    return v;
  }

  /** Advances `last` to a version received from a peer or applied from storage (`last = max(last, v)`). */
  observe(version: number): void {
    if (version > this.#last[0]) this.#last[0] = version;
  }
}
