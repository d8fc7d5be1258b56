import { HyperCache } from '@hypercache/cache-engine';
import type { CacheEntry } from '../entry';
import { CachePriority } from '../entry-options';
import { InvalidOptionError } from '../errors';
import type { L1Adapter } from './l1-adapter';

/** Options of {@link EngineL1}. */
export interface EngineL1Options {
  /** Max entries, 0 = unbounded. Default 10 000. */
  maxEntries?: number;
  /** Max summed entry cost in bytes, 0 = unbounded. Default 64 MiB. */
  maxBytes?: number;
  /** Eviction algorithm of the engine: `lru` (default), `lfu`, `clock`, `cawolfu`, `arc`. */
  evictionAlgorithm?: string;
}

/** Resolved {@link EngineL1Options}. */
export interface ResolvedEngineL1Options {
  maxEntries: number;
  maxBytes: number;
  evictionAlgorithm: string;
}

/** Fills in defaults and rejects nonsense naming the option. */
export function resolveEngineL1Options(o: EngineL1Options = {}): ResolvedEngineL1Options {
  const maxEntries = o.maxEntries ?? 10_000;
  const maxBytes = o.maxBytes ?? 64 * 1024 * 1024;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 0) throw new InvalidOptionError('l1.maxEntries', maxEntries, 'must be an integer ≥ 0');
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new InvalidOptionError('l1.maxBytes', maxBytes, 'must be an integer ≥ 0');
  const evictionAlgorithm = o.evictionAlgorithm ?? 'lru';
  if (typeof evictionAlgorithm !== 'string' || evictionAlgorithm.length === 0) {
    throw new InvalidOptionError('l1.evictionAlgorithm', evictionAlgorithm, 'must be an algorithm name');
  }
  return { maxEntries, maxBytes, evictionAlgorithm };
}

/**
 * The default L1: this project's cache engine (`HyperCache`, slot store + LRU by default), bounded
 * by entries and by bytes. Values stay live objects. The entry bound is the engine's proactive
 * capacity; the byte bound evicts the engine's victims until the new entry fits (an entry larger
 * than the whole budget is not kept). `NeverRemove` entries live beside the engine, outside both
 * bounds (§3 `priority`); other priorities are hints the engine's algorithms do not use.
 */
export class EngineL1 implements L1Adapter {
  readonly #engine: HyperCache<CacheEntry>;
  readonly #maxBytes: number;
  readonly #pinned = new Map<string, CacheEntry>();
  readonly measuresCost: boolean;
  #closed = false;

  constructor(options: EngineL1Options = {}) {
    const o = resolveEngineL1Options(options);
    this.#maxBytes = o.maxBytes;
    this.measuresCost = o.maxBytes > 0;
    this.#engine = new HyperCache<CacheEntry>({
      capacity: o.maxEntries,
      evictionIntervalMs: 0,
      expirationIntervalMs: 0,
      evictionAlgorithm: o.evictionAlgorithm,
      sizeOf: (e) => e.size,
      nodeId: 'l1',
    });
  }

  get(key: string): CacheEntry | undefined {
    const e = this.#engine.get(key);
    if (e !== undefined || this.#pinned.size === 0) return e;
    return this.#pinned.get(key);
  }

  set(key: string, entry: CacheEntry, cost: number, priority: CachePriority): void {
    if (priority === CachePriority.NeverRemove) {
      this.#engine.remove(key);
      this.#pinned.set(key, entry);
      return;
    }
    if (this.#pinned.size !== 0) this.#pinned.delete(key);
    const max = this.#maxBytes;
    if (max !== 0) {
      if (cost > max) {
        this.#engine.remove(key);
        return;
      }
      const engine = this.#engine;
      while (engine.allocation() + cost > max && engine.evictOne());
    }
    entry.size = cost;
    this.#engine.set(key, entry);
  }

  delete(key: string): boolean {
    const removed = this.#engine.remove(key) > 0;
    return this.#pinned.size === 0 ? removed : this.#pinned.delete(key) || removed;
  }

  compareAndSwap(key: string, expected: CacheEntry, next: CacheEntry): boolean {
    if (this.get(key) !== expected) return false;
    if (this.#pinned.get(key) === expected) this.#pinned.set(key, next);
    else {
      next.size = expected.size;
      this.#engine.set(key, next);
    }
    return true;
  }

  *keys(): Iterable<string> {
    yield* this.#engine.keys();
    yield* this.#pinned.keys();
  }

  count(): number {
    return this.#engine.count() + this.#pinned.size;
  }

  /** Bytes charged to the byte budget (pinned entries excluded). */
  allocation(): number {
    return this.#engine.allocation();
  }

  clear(): void {
    this.#engine.clear();
    this.#pinned.clear();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.clear();
    await this.#engine.stop();
  }
}
