import type { CacheEntry } from '../entry';
import type { CachePriority } from '../entry-options';

/**
 * The in-process L1 store (§11): keeps {@link CacheEntry} objects (live values) by prefixed key.
 * Synchronous; misses are not errors. A bounded adapter may evict any entry at any time.
 */
export interface L1Adapter {
  /** Whether `set`'s cost is used (a byte bound); when false the cache does not measure values. */
  readonly measuresCost?: boolean;
  /** The entry, or `undefined`. A hit may update recency. */
  get(key: string): CacheEntry | undefined;
  /** Stores `entry`, charging `cost` bytes; `priority` is an eviction hint. */
  set(key: string, entry: CacheEntry, cost: number, priority: CachePriority): void;
  /** Removes `key`; returns whether it existed. */
  delete(key: string): boolean;
  /** Replaces the entry only if the stored one is `expected` (identity); returns whether it did. */
  compareAndSwap(key: string, expected: CacheEntry, next: CacheEntry): boolean;
  /** Every stored key. */
  keys(): Iterable<string>;
  /** Stored entry count. */
  count(): number;
  /** Removes everything. */
  clear(): void;
  /** Releases resources (idempotent). */
  close(): Promise<void>;
}
