import type { CacheItem } from '../item';
import type { ListFilter } from '../list-filters';
import type { SizeOf } from '../size-of';

/** A value or a promise of it: what an async-capable seam method may return. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Storage seam for backends (engine.md §11 backend contract), async-capable: a method may answer
 * synchronously (`InMemoryBackend`) or with a promise (storage with I/O: the `redis` and `redis-cluster`
 * backends of `@hypercache/redis-backend`). The synchronous engine, `HyperCache`, never goes through it:
 * it works on the in-memory backend's slot store directly (one hash lookup per read hit, no
 * promise). `AsyncHyperCache` is the engine facade over
 * any `Backend`; it awaits every call (see docs/decisions.md, "one engine core").
 *
 * A backend only stores records: the engine owns validation, sizes, versions and expiry checks.
 * Records returned by `get` and `list` are the caller's (fresh copies or decoded values); writing
 * to them never changes the stored record. TS differences to upstream's contract: no `touch` (a
 * backend stores what `set` gave it; the facade's expiry is absolute) and `list` MUST apply the
 * filters in every backend (engine.md §6).
 */
export interface Backend<V = unknown> {
  /** Registered backend type name (`in-memory`, or a custom backend's name). */
  readonly name: string;
  /** The stored record, or `undefined`. */
  get(key: string): MaybePromise<CacheItem<V> | undefined>;
  /** Stores (inserts or replaces by key) a record built by the engine, every field as given. */
  set(item: CacheItem<V>): MaybePromise<void>;
  /** Removes `keys` (missing ones are fine); how many existed. */
  remove(keys: readonly string[]): MaybePromise<number>;
  /** Records after applying `filters` in order (engine.md §6). */
  list(filters: readonly ListFilter<V>[]): MaybePromise<CacheItem<V>[]>;
  /** Number of stored records (expired-but-not-swept included). */
  count(): MaybePromise<number>;
  /** Removes every record. */
  clear(): MaybePromise<void>;
  /** Max item count; 0 = unlimited (engine.md §5). */
  capacity(): number;
  /** Changes the max item count; negative → `InvalidOptionError`. */
  setCapacity(capacity: number): void;
  /**
   * Optional sizer of this backend's storage format (engine.md §4: Redis sizes by the serializer's
   * output). `AsyncHyperCache` uses it when given no `sizeOf` of its own.
   */
  readonly sizeOf?: SizeOf<V>;
  /** Releases resources (connections, timers); idempotent. The engine's `stop()` calls it (engine.md §2 TS requirement). */
  stop(): Promise<void>;
}
