import { InvalidShardCountError } from './errors';
import type { EvictionAlgorithm, EvictionAlgorithmFactory } from './eviction-algorithm';
import { resolveEvictionOptions } from './eviction-options';
import { fnv1a32 } from '@hypercache/hashing';

/** Options of {@link ShardedEviction}. */
export interface ShardedEvictionOptions {
  /** Number of independent shards; a power of two ≥ 1 (upstream default 32). */
  readonly shardCount: number;
  /** Total item capacity; each shard is built with `ceil(capacity / shardCount)`. Default 0. */
  readonly capacity?: number;
  /** The cache's item bound (default `capacity`); each shard gets `ceil(cacheCapacity / shardCount)` as its second factory argument. */
  readonly cacheCapacity?: number;
  /** Builds one shard from its per-shard capacities (e.g. `(c, cc) => registry.create('lru', c, cc)`). */
  readonly factory: EvictionAlgorithmFactory;
  /**
   * Key → unsigned 32-bit hash; the shard is `hash(key) & (shardCount − 1)`. Default
   * {@link fnv1a32}. Upstream uses `fold32(XXH64(key))` so that the eviction shard equals the data
   * shard of its sharded map; pass that map's hash here if the engine ever shards its store.
   */
  readonly hash?: (key: string) => number;
}

/**
 * N independent instances of one algorithm, each owning the keys that hash to it
 * (spec: eviction.md §8). `set`/`get`/`delete` go to the key's shard. `evict` starts at a
 * round-robin cursor (advanced by one per call) and tries the shards in order, wrapping, until one
 * yields a victim; `undefined` only when all are empty. Victims are therefore chosen per shard,
 * not in strict global LRU/LFU order; use a single instance (shard count ≤ 1, see
 * `createEvictionAlgorithm`) for global order.
 *
 * `name` is the wrapped algorithm's name. `length` sums the shards (O(shardCount)).
 */
export class ShardedEviction implements EvictionAlgorithm<string> {
  /** Name of the wrapped algorithm. */
  readonly name: string;
  readonly #shards: EvictionAlgorithm<string>[];
  readonly #mask: number;
  readonly #hash: (key: string) => number;
  #cursor = 0;

  /**
   * @throws InvalidShardCountError when `shardCount` is not a power of two ≥ 1;
   *   NegativeCapacityError / InvalidCapacityError for a bad `capacity`; whatever `factory` throws.
   */
  constructor(options: ShardedEvictionOptions) {
    const n = options.shardCount;
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 30 || (n & (n - 1)) !== 0) {
      throw new InvalidShardCountError(n);
    }
    const { capacity } = resolveEvictionOptions({ capacity: options.capacity });
    const cacheCapacity = resolveEvictionOptions({ capacity: options.cacheCapacity ?? capacity }).capacity;
    const perShard = Math.ceil(capacity / n);
    const perShardCache = Math.ceil(cacheCapacity / n);
    this.#shards = Array.from({ length: n }, () => options.factory(perShard, perShardCache));
    this.#mask = n - 1;
    this.#hash = options.hash ?? fnv1a32;
    this.name = this.#shards[0].name;
  }

  /** Number of shards. */
  get shardCount(): number {
    return this.#shards.length;
  }

  /** Keys tracked across all shards. */
  get length(): number {
    let total = 0;
    for (const shard of this.#shards) total += shard.length;
    return total;
  }

  /** Index of the shard that owns `key`. */
  shardIndexOf(key: string): number {
    return this.#hash(key) & this.#mask;
  }

  /** Forwards to the key's shard. */
  set(key: string): void {
    this.#shards[this.#hash(key) & this.#mask].set(key);
  }

  /** Forwards to the key's shard. */
  get(key: string): boolean {
    return this.#shards[this.#hash(key) & this.#mask].get(key);
  }

  /** Forwards to the key's shard. */
  delete(key: string): boolean {
    return this.#shards[this.#hash(key) & this.#mask].delete(key);
  }

  /** Round-robin over the shards starting at the cursor; first victim found wins. */
  evict(): string | undefined {
    const start = this.#cursor;
    const mask = this.#mask;
    this.#cursor = (start + 1) & mask;
    for (let i = 0; i <= mask; i++) {
      const key = this.#shards[(start + i) & mask].evict();
      if (key !== undefined) return key;
    }
    return undefined;
  }

  /** Clears every shard and resets the cursor. */
  clear(): void {
    for (const shard of this.#shards) shard.clear();
    this.#cursor = 0;
  }
}
