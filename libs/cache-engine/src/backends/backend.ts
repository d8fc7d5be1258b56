import type { CacheItem } from '../item';
import type { ListFilter } from '../list-filters';

/**
 * Storage seam of the engine (engine.md §11 backend contract). The engine owns validation, size
 * accounting, versions, expiry and eviction; a backend only stores records. Methods are
 * synchronous: the engine's hot path must not allocate promises. Storage that needs I/O does not
 * fit this contract; it belongs behind the asynchronous node seam instead, as the distributed
 * layer does (docs/decisions.md D1). This build has no Redis backend.
 *
 * TS differences to upstream's contract: `delete(key)` per key instead of `remove(keys…)` (the
 * engine removes one key at a time to release its size), and `list` MUST apply the filters in
 * every backend (engine.md §6).
 */
export interface Backend<V = unknown> {
  /** Registered backend type name (`in-memory`, or a custom backend's name). */
  readonly name: string;
  /**
   * The stored record or `undefined`. May be the live record (the engine then mutates access
   * fields in place) or a copy (then the backend MUST implement {@link Backend.touch}).
   */
  get(key: string): CacheItem<V> | undefined;
  /** Stores (inserts or replaces) a record built by the engine. */
  set(item: CacheItem<V>): void;
  /** Deletes one key; `true` when it existed. Missing keys are fine. */
  delete(key: string): boolean;
  /** Records after applying `filters` in order (engine.md §6); may be live records. */
  list(filters: readonly ListFilter<V>[]): CacheItem<V>[];
  /** Number of stored records (expired-but-not-swept included). */
  count(): number;
  /** Deletes every record. */
  clear(): void;
  /** Max item count; 0 = unlimited (engine.md §5). */
  capacity(): number;
  /** Changes the max item count; negative → error. */
  setCapacity(capacity: number): void;
  /** Optional: persists a read's access fields (`lastAccessMs`, `accessCount`, `expiresAtMs`) when `get` returns copies. */
  touch?(item: CacheItem<V>): void;
  /** Releases resources; idempotent. The engine's `stop()` calls it (engine.md §2 TS requirement). */
  stop(): Promise<void>;
}
