import type { EvictionOptions } from './eviction-options';

/** Options of `ArcEviction`. */
export interface ArcOptions extends EvictionOptions {
  /** ARC's `c` (items, required, ≥ 1): bound of the resident lists, of `p`, and of the ghost lists. */
  readonly capacity: number;
}

/** Diagnostic copy of the ARC state (spec: eviction.md §6). Lists are most recent first. */
export interface ArcSnapshot<K = string> {
  /** Target size of T1 (`p`), 0 ≤ p ≤ capacity. */
  readonly p: number;
  /** Resident keys seen once recently. */
  readonly t1: K[];
  /** Resident keys seen at least twice. */
  readonly t2: K[];
  /** Ghost keys (no longer tracked) demoted from T1. */
  readonly b1: K[];
  /** Ghost keys (no longer tracked) demoted from T2. */
  readonly b2: K[];
  /** Keys demoted on insert that `evict()` will return next, oldest first. */
  readonly pending: K[];
}
