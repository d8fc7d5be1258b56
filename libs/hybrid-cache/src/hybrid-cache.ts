import { CacheCore } from './cache-core';
import { resolveHybridCacheOptions, type HybridCacheOptions } from './cache-options';
import type { CacheEntry } from './entry';
import type { EntryOptions, EntryOptionsInput } from './entry-options';
import { InvalidOptionError } from './errors';
import type { CacheEvents } from './events';
import type { Factory } from './factory-context';
import { getOrSetMany, type ManyFactory } from './get-or-set-many';
import type { HybridCacheCounters } from './telemetry';
import { TypedCache, type TypeGuard } from './typed-cache';
import { untilAborted } from './caller-wait';

/** The result of `get` (§1 `{value, found}`); `isStale` with `allowStaleOnReadOnly`. */
export interface GetResult<T> {
  found: boolean;
  value: T | undefined;
  isStale: boolean;
}

/** Hidden tag carried by every entry of a namespace: `clear()` of the namespace invalidates it everywhere. */
const NAMESPACE_TAG = '__ns:';

/** @internal What a namespace shares with its parent. */
interface NamespaceSeed {
  core: CacheCore;
  path: string;
}

/**
 * The hybrid L1/L2 cache (hybrid-cache.md): an in-process L1 (bounded, live objects) in front of an
 * optional distributed L2, an optional backplane keeping every instance's L1 coherent, stampede
 * protection, fail-safe, soft/hard timeouts, eager refresh, tags, namespaces, breakers and events.
 *
 * ```ts
 * const cache = await HybridCache.create({ l2: new RedisL2({ client }), serializer: new JsonSerializer(),
 *   backplane: new RedisBackplane({ client }) });
 * const user = await cache.getOrSet(`user:${id}`, () => db.user(id), { duration: 60_000, tags: ['users'] });
 * ```
 */
export class HybridCache {
  readonly #core: CacheCore;
  readonly #ns: string;
  readonly #nsTag: string | undefined;
  readonly #nsTags: readonly string[] | undefined;

  /** Builds a cache; the backplane subscription starts at once (await {@link ready} or use {@link create}). */
  constructor(options: HybridCacheOptions = {}, seed?: NamespaceSeed) {
    if (seed === undefined) {
      this.#core = new CacheCore(resolveHybridCacheOptions(options));
      this.#ns = '';
      this.#nsTag = undefined;
      this.#nsTags = undefined;
      // An unobserved subscription failure must not crash the process; `ready()` reports it.
      this.#core.ready.catch(() => undefined);
    } else {
      this.#core = seed.core;
      this.#ns = `${seed.path}:`;
      this.#nsTag = NAMESPACE_TAG + seed.path;
      const parents: string[] = [];
      const parts = seed.path.split(':');
      for (let i = 1; i <= parts.length; i++) parents.push(NAMESPACE_TAG + parts.slice(0, i).join(':'));
      this.#nsTags = Object.freeze(parents);
    }
  }

  /** Builds a cache and waits for its backplane subscription; rejects (and closes it) when that fails (§2). */
  static async create(options: HybridCacheOptions = {}): Promise<HybridCache> {
    const cache = new HybridCache(options);
    try {
      await cache.ready();
    } catch (err) {
      await cache.close();
      throw err;
    }
    return cache;
  }

  /** Resolves once the backplane subscription is active (at once without a backplane). */
  ready(): Promise<void> {
    return this.#core.ready;
  }

  /** The cache name (default `'default'`). */
  name(): string {
    return this.#core.name;
  }

  /** The node ID used on the backplane. */
  nodeId(): string {
    return this.#core.o.nodeId;
  }

  /** A copy of the default entry options; mutating it has no effect (§1). */
  defaultEntryOptions(): EntryOptions {
    return { ...this.#core.defaults, tags: [...this.#core.defaults.tags] };
  }

  /** The event emitter (§10), shared by the cache and its namespaces. */
  events(): CacheEvents {
    return this.#core.events;
  }

  /** A snapshot of the counters of this cache's name. */
  counters(): Readonly<HybridCacheCounters> {
    return { ...this.#core.counters };
  }

  /** Number of L1 entries (all namespaces). */
  l1Count(): number {
    return this.#core.l1.adapter.count();
  }

  /** Read-only lookup: L1, then L2; never calls a factory, never takes the stampede lock (§1). */
  async get<T = unknown>(key: string, options?: EntryOptionsInput): Promise<GetResult<T>> {
    const core = this.#core;
    core.check();
    const signal = options?.signal;
    signal?.throwIfAborted();
    const read = core.read(this.#ns + key, core.resolve(options));
    const r = await (signal === undefined ? read : untilAborted(read, signal));
    if (r === undefined) return { found: false, value: undefined, isStale: false };
    const o = options?.enableAutoClone ?? core.defaults.enableAutoClone;
    return { found: true, value: (o ? core.l1.clone(r.entry.value) : r.entry.value) as T, isStale: r.stale };
  }

  /** The value of `key`, or the factory's (one factory call per key under concurrency, §4). */
  getOrSet<T>(key: string, factory: Factory<T>, options?: EntryOptionsInput): Promise<T> {
    const core = this.#core;
    try {
      return core.getOrSet(
        this.#ns === '' ? key : this.#ns + key,
        factory,
        options === undefined ? (core.defaults as EntryOptions) : core.resolve(options),
        this.#nsTags,
        options?.signal,
      );
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /** Writes L1 + L2 and publishes `Set` (§1). */
  async set<T>(key: string, value: T, options?: EntryOptionsInput): Promise<void> {
    const core = this.#core;
    core.check();
    const full = this.#ns + key;
    await core.store(core.key(full), full, value, core.resolve(options), this.#nsTags);
  }

  /** Removes from L1 and L2, publishes `Delete`; a missing key is fine (§7). */
  async delete(key: string, options?: EntryOptionsInput): Promise<void> {
    this.#core.check();
    await this.#core.delete(this.#ns + key, this.#core.resolve(options));
  }

  /** Marks the entry logically expired here, in L2 and on every instance; the value stays for fail-safe (§7). */
  async expire(key: string, options?: EntryOptionsInput): Promise<void> {
    this.#core.check();
    await this.#core.expire(this.#ns + key, this.#core.resolve(options));
  }

  /** Deletes every entry with `tag` on every instance, including entries this instance never saw (§7). */
  async deleteByTag(tag: string, options?: EntryOptionsInput): Promise<void> {
    this.#core.check();
    await this.#core.invalidateTag(checkTag(tag), 'delete', this.#core.resolve(options));
  }

  /** Marks every entry with `tag` logically expired on every instance (values kept for fail-safe). */
  async expireByTag(tag: string, options?: EntryOptionsInput): Promise<void> {
    this.#core.check();
    await this.#core.invalidateTag(checkTag(tag), 'expire', this.#core.resolve(options));
  }

  /**
   * Root cache: clears L1 (and L2 under the key prefix when `clearL2`) and publishes `Clear` (§7).
   * Namespace: deletes the namespace's entries on every instance and in L2 (`clearL2` is implied).
   */
  async clear(clearL2 = false, options?: EntryOptionsInput): Promise<void> {
    const core = this.#core;
    core.check();
    if (this.#nsTag === undefined) await core.clear(clearL2, core.resolve(options));
    else await core.invalidateTag(this.#nsTag, 'delete', core.resolve(options));
  }

  /** Batch `get`: L1 first, one L2 batch read for the rest. */
  async getMany<T = unknown>(keys: readonly string[], options?: EntryOptionsInput): Promise<Array<GetResult<T>>> {
    const core = this.#core;
    const o = core.resolve(options);
    const out: Array<GetResult<T>> = new Array<GetResult<T>>(keys.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const e = core.l1.lookup(core.key(this.#ns + key), core.o.timers.now());
      if (!o.skipL1Read && e !== undefined && core.o.timers.now() < e.logicalExpiry) out[i] = found(e, false);
      else missing.push(i);
    });
    const reads = await core.readL2Many(missing.map((i) => this.#ns + keys[i]!), o);
    missing.forEach((i, j) => {
      const r = reads[j]!;
      out[i] = r.entry !== undefined && (r.fresh || o.allowStaleOnReadOnly) ? found(r.entry, !r.fresh) : { found: false, value: undefined, isStale: false };
    });
    return out;
  }

  /**
   * Batch `getOrSet`: L1, then one L2 batch read, then one factory call with every still-missing
   * key (keys already being computed by another call are awaited, not recomputed).
   */
  getOrSetMany<T>(keys: readonly string[], factory: ManyFactory<T>, options?: EntryOptionsInput): Promise<T[]> {
    const signal = options?.signal;
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    const all = getOrSetMany(this.#core, this.#ns, this.#nsTags, keys, factory, this.#core.resolve(options));
    return signal === undefined ? all : untilAborted(all, signal);
  }

  /** A view whose keys live in `name` (nestable); its `clear()` reaches every instance. */
  namespace(name: string): HybridCache {
    if (typeof name !== 'string' || name.length === 0) throw new InvalidOptionError('namespace', name, 'must be a non-empty string');
    const path = this.#ns === '' ? name : `${this.#ns}${name}`;
    return new HybridCache({}, { core: this.#core, path });
  }

  /** Typed helpers (§1): `get`/`getOrSet` that check the value with `guard` (`TypeMismatchError`). */
  typed<T>(guard: TypeGuard<T>, typeName: string, zero?: T): TypedCache<T> {
    return new TypedCache<T>(this, guard, typeName, zero);
  }

  /** Stops the backplane subscription, closes the backplane and L1 (not L2); idempotent (§1). */
  close(): Promise<void> {
    return this.#core.close();
  }

  /** @internal Test seam: resolves when the backplane retry queue drained. */
  flushBackplane(): Promise<void> {
    return this.#core.backplane?.flush() ?? Promise.resolve();
  }
}

function found<T>(e: CacheEntry, isStale: boolean): GetResult<T> {
  return { found: true, value: e.value as T, isStale };
}

function checkTag(tag: string): string {
  if (typeof tag !== 'string' || tag.length === 0) throw new InvalidOptionError('tag', tag, 'must be a non-empty string');
  return tag;
}
