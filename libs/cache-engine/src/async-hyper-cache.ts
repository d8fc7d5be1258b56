import type { Backend } from './backends/backend';
import type { GetMultipleResult, ValueOrLoader } from './cache-service';
import { CoarseClock } from './coarse-clock';
import type { EngineCounters } from './engine-counters';
import { CacheError, InvalidOptionError, KeyExpiredError, KeyNotFoundError, NilValueError } from './errors';
import { HybridLogicalClock } from './hybrid-logical-clock';
import { checkCapacity } from './backends/in-memory-backend';
import { copyItem, isExpired, newItem, writeError, type CacheItem, type WriteStamp } from './item';
import type { ListFilter } from './list-filters';
import { defaultSizeOf, type SizeOf } from './size-of';

/** Options of {@link AsyncHyperCache}. Only `backend` is required. */
export interface AsyncHyperCacheOptions<V = unknown> {
  /** The storage backend (engine.md §11): any {@link Backend}, typically one that answers with promises (Redis). */
  backend: Backend<V>;
  /** Origin stamped on versions (dist-protocol.md §4). Default `'local'`. */
  nodeId?: string;
  /** Clock in epoch ms. Default: a {@link CoarseClock} over `Date.now`. */
  now?: () => number;
  /** Version clock; pass one to share it with other writers of this node (default a new one). */
  clock?: HybridLogicalClock;
  /** Item sizer in bytes (default: the backend's `sizeOf` if it has one, else {@link defaultSizeOf}). engine.md §4. */
  sizeOf?: SizeOf<V>;
}

/** {@link AsyncHyperCacheOptions} with every default filled in and every value checked. */
export interface ResolvedAsyncHyperCacheOptions<V = unknown> {
  backend: Backend<V>;
  nodeId: string;
  now: () => number;
  clock: HybridLogicalClock;
  sizeOf: SizeOf<V>;
}

/** Fills in defaults in one place and rejects nonsense by naming the option (`InvalidOptionError`, code `BAD_REQUEST`). */
export function resolveAsyncHyperCacheOptions<V>(o: AsyncHyperCacheOptions<V>): ResolvedAsyncHyperCacheOptions<V> {
  const backend = o?.backend as Backend<V> | undefined;
  if (backend === undefined || backend === null || typeof backend.get !== 'function') {
    throw new InvalidOptionError('backend', backend, 'is required (a Backend)');
  }
  const nodeId = o.nodeId ?? 'local';
  if (typeof nodeId !== 'string' || nodeId.trim().length === 0) throw new InvalidOptionError('nodeId', nodeId, 'must be a non-blank string');
  return { backend, nodeId, now: o.now ?? new CoarseClock().now, clock: o.clock ?? new HybridLogicalClock(), sizeOf: o.sizeOf ?? backend.sizeOf ?? defaultSizeOf };
}

/**
 * The engine facade over an async-capable {@link Backend} (engine.md §2, §11): the same
 * validation, sizes, versions and read semantics as `HyperCache`, every operation answering with a
 * promise. Built for backends that do I/O (Redis, issue 15); the in-memory engine stays
 * synchronous in `HyperCache` so its hot path allocates no promise.
 *
 * Guarantees: each call reaches the backend before the method returns (no `await` precedes the
 * backend call), so a backend that serves calls in order (one Redis connection) sees them in call
 * order; concurrent `getOrSet` callers for one key share one lookup and one loader run.
 *
 * Differences to `HyperCache` (docs/decisions.md): expiry is absolute (the backend stores what
 * `set` gave it, reads are not written back; a Redis backend also sets the native TTL); eviction
 * and the capacity bound are the backend's (Redis `maxmemory-policy`); no byte cap, no background
 * loops, no stats collector (the counters are kept).
 */
export class AsyncHyperCache<V = unknown> {
  readonly #backend: Backend<V>;
  readonly #nodeId: string;
  readonly #now: () => number;
  readonly #clock: HybridLogicalClock;
  readonly #sizeOf: SizeOf<V>;
  readonly #inflight = new Map<string, Promise<V>>();
  #hits = 0;
  #misses = 0;
  #expiredReads = 0;
  #stopping: Promise<void> | undefined;

  /** Builds the facade; options are resolved by {@link resolveAsyncHyperCacheOptions} (throws `InvalidOptionError`). */
  constructor(options: AsyncHyperCacheOptions<V>) {
    const o = resolveAsyncHyperCacheOptions(options);
    this.#backend = o.backend;
    this.#nodeId = o.nodeId;
    this.#now = o.now;
    this.#clock = o.clock;
    this.#sizeOf = o.sizeOf;
  }

  /** The node ID stamped as `origin` on versions. */
  get nodeId(): string {
    return this.#nodeId;
  }

  /** The version clock. */
  get clock(): HybridLogicalClock {
    return this.#clock;
  }

  /** The storage backend. */
  get backend(): Backend<V> {
    return this.#backend;
  }

  /**
   * Stores `value` under `key` (engine.md §2); `ttlMs` 0 = never expires. Resolves with a frozen
   * copy of the record as written. Rejects `InvalidKeyError`, `NilValueError`,
   * `InvalidExpirationError` (`BAD_REQUEST`) or whatever the backend rejects with.
   */
  async set(key: string, value: V, ttlMs = 0, stamp?: WriteStamp): Promise<Readonly<CacheItem<V>>> {
    const item = this.#record(key, value, ttlMs, stamp);
    await this.#backend.set(item);
    return copyItem(item);
  }

  /** The value, or `undefined` when missing or expired. */
  async get(key: string): Promise<V | undefined> {
    const item = await this.#backend.get(key);
    return this.#readable(item, this.#now()) ? item.value : undefined;
  }

  /** Like `get` but resolves with a frozen copy of the whole record. */
  async getWithInfo(key: string): Promise<Readonly<CacheItem<V>> | undefined> {
    const item = await this.#backend.get(key);
    return this.#readable(item, this.#now()) ? copyItem(item) : undefined;
  }

  /**
   * Hit → the stored value. Expired-but-present → rejects `KeyExpiredError` without overwriting
   * (engine.md §2 upstream quirk). Miss → stores the value (or the loader's result) like `set`.
   * Concurrent callers for one key share a single lookup and loader run.
   */
  getOrSet(key: string, loader: ValueOrLoader<V>, ttlMs = 0): Promise<V> {
    const running = this.#inflight.get(key);
    if (running !== undefined) return running;
    const bad = writeError(key, ttlMs);
    if (bad !== undefined) return Promise.reject(bad);
    const load = this.#getOrLoad(key, loader, ttlMs).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, load);
    return load;
  }

  /** Per key: hit → `found`; missing or expired → `failed` with `KeyNotFoundError`. One clock read for the batch. */
  async getMultiple(keys: readonly string[]): Promise<GetMultipleResult<V>> {
    const items = await Promise.all(keys.map((key) => this.#backend.get(key)));
    const now = this.#now();
    const found = new Map<string, V>();
    const failed = new Map<string, CacheError>();
    keys.forEach((key, i) => {
      const item = items[i];
      if (this.#readable(item, now)) found.set(key, item.value);
      else failed.set(key, new KeyNotFoundError(key));
    });
    return { found, failed };
  }

  /** Frozen copies of the stored items after `filters` in order (engine.md §6); expired-but-present included. */
  async list(...filters: ListFilter<V>[]): Promise<Readonly<CacheItem<V>>[]> {
    return (await this.#backend.list(filters)).map(copyItem);
  }

  /** Removes keys (missing ones are fine); resolves with how many existed. */
  async remove(...keys: string[]): Promise<number> {
    return this.#backend.remove(keys);
  }

  /** Removes everything the backend stores. */
  async clear(): Promise<void> {
    await this.#backend.clear();
  }

  /** Stored items as the backend counts them. */
  async count(): Promise<number> {
    return this.#backend.count();
  }

  /** Max item count, 0 = unlimited (the backend's). */
  capacity(): number {
    return this.#backend.capacity();
  }

  /** Changes the backend's capacity (negative → `InvalidOptionError`). */
  setCapacity(capacity: number): void {
    this.#backend.setCapacity(checkCapacity('capacity', capacity));
  }

  /** Plain per-op counters; evictions and expirations are the backend's (always 0 here). */
  counters(): EngineCounters {
    return { hits: this.#hits, misses: this.#misses, expiredReads: this.#expiredReads, evictions: 0, expirations: 0 };
  }

  /** Stops the backend (engine.md §2, TS MUST). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= this.#backend.stop();
    return this.#stopping;
  }

  /** A validated record for a write made now (throws the validation error). */
  #record(key: string, value: V, ttlMs: number, stamp: WriteStamp | undefined): CacheItem<V> {
    const bad = writeError(key, ttlMs);
    if (bad !== undefined) throw bad;
    if (value === undefined || value === null) throw new NilValueError(key);
    const size = this.#sizeOf(value, key);
    const now = this.#now();
    if (stamp === undefined) return newItem(key, value, size, this.#clock.issue(now, 0), this.#nodeId, now, ttlMs);
    this.#clock.observe(stamp.version);
    const item = newItem(key, value, size, stamp.version, stamp.origin, now, ttlMs);
    item.expiresAtMs = stamp.expiresAtMs;
    return item;
  }

  /** Counts a read of `item` at `now`: a hit, a miss (absent) or an expired read; whether it hit. */
  #readable(item: CacheItem<V> | undefined, now: number): item is CacheItem<V> {
    if (item === undefined) {
      this.#misses++;
      return false;
    }
    if (isExpired(item, now)) {
      this.#expiredReads++;
      return false;
    }
    this.#hits++;
    return true;
  }

  async #getOrLoad(key: string, loader: ValueOrLoader<V>, ttlMs: number): Promise<V> {
    const item = await this.#backend.get(key);
    const now = this.#now();
    if (item !== undefined && isExpired(item, now)) {
      this.#expiredReads++;
      throw new KeyExpiredError(key);
    }
    if (this.#readable(item, now)) return item.value;
    const value = typeof loader === 'function' ? await (loader as () => V | Promise<V>)() : loader;
    await this.set(key, value, ttlMs);
    return value;
  }
}
