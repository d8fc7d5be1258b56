import { InvalidCapacityError, NegativeCapacityError } from './errors';

/** Options shared by the built-in algorithms (spec: eviction.md §1). */
export interface EvictionOptions {
  /**
   * Item count the instance is sized for. Default 0 (unknown). Negative → `NegativeCapacityError`.
   * LRU/LFU/Clock/CAWOLFU never refuse or drop keys because of it: it only preallocates slots
   * (at most {@link MAX_PREALLOCATED_SLOTS}); ARC uses it as its bound `c`.
   */
  readonly capacity?: number;
}

/** Upper bound on slots allocated up front; beyond it, slot arrays grow by doubling. */
export const MAX_PREALLOCATED_SLOTS = 1 << 16;

/** Slots allocated when no capacity hint is given. */
const MIN_SLOTS = 16;

/**
 * Validates `capacity` (spec: eviction.md §1 invariant 5) and fills the default (0).
 * @throws NegativeCapacityError when below zero; InvalidCapacityError when not a safe integer.
 */
export function resolveEvictionOptions(o: EvictionOptions = {}): Required<EvictionOptions> {
  const capacity = o.capacity ?? 0;
  if (typeof capacity !== 'number' || Number.isNaN(capacity)) {
    throw new InvalidCapacityError(capacity, 'must be a number');
  }
  if (capacity < 0) throw new NegativeCapacityError(capacity);
  if (!Number.isSafeInteger(capacity)) throw new InvalidCapacityError(capacity, 'must be an integer');
  return { capacity };
}

/**
 * Number of slots to allocate for `capacity` tracked keys plus `reserved` sentinel slots:
 * `clamp(capacity + reserved, 16, 65536 + reserved)`. Internal helper.
 */
export function initialSlotCount(capacity: number, reserved: number): number {
  return Math.max(MIN_SLOTS, Math.min(capacity, MAX_PREALLOCATED_SLOTS) + reserved);
}

/** Returns a copy of `a` with length `length` (≥ a.length), zero-filled. Internal helper. */
export function growInt32(a: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}
