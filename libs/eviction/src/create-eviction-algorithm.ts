import { InvalidShardCountError } from './errors';
import type { EvictionAlgorithm } from './eviction-algorithm';
import { DEFAULT_EVICTION_ALGORITHM } from './eviction-algorithm';
import type { EvictionRegistry } from './eviction-registry';
import { ShardedEviction } from './sharded-eviction';

/** Options of {@link createEvictionAlgorithm}. */
export interface CreateEvictionAlgorithmOptions {
  /** Registered algorithm name. Default `lru`; an empty string also means `lru` (config.md B.1). */
  readonly algorithm?: string;
  /** Total item count to track (≥ 0). Default 0 = unknown/unlimited. */
  readonly capacity?: number;
  /** The cache's own item bound (≥ 0; default `capacity`): the factory's second argument, ARC's `c`. */
  readonly cacheCapacity?: number;
  /**
   * Shards (spec: eviction.md §8). ≤ 1 → one instance (strict global order); otherwise a power of
   * two. Default 1: Node has no lock contention to shard away (upstream default 32).
   */
  readonly shardCount?: number;
}

/**
 * Builds the engine's eviction algorithm from `registry`: a single instance when `shardCount ≤ 1`,
 * else a {@link ShardedEviction} whose shards each get `ceil(capacity / shardCount)` (and
 * `ceil(cacheCapacity / shardCount)`).
 * @throws AlgorithmNotFoundError for an unknown name; InvalidShardCountError when `shardCount` > 1
 *   is not a power of two (or not an integer); capacity errors from the registry.
 */
export function createEvictionAlgorithm(
  registry: EvictionRegistry,
  options: CreateEvictionAlgorithmOptions = {},
): EvictionAlgorithm<string> {
  const name = options.algorithm || DEFAULT_EVICTION_ALGORITHM;
  const capacity = options.capacity ?? 0;
  const cacheCapacity = options.cacheCapacity ?? capacity;
  const shardCount = options.shardCount ?? 1;
  if (!Number.isInteger(shardCount)) throw new InvalidShardCountError(shardCount);
  if (shardCount <= 1) return registry.create(name, capacity, cacheCapacity);
  return new ShardedEviction({ shardCount, capacity, cacheCapacity, factory: (perShard, perShardCache) => registry.create(name, perShard, perShardCache) });
}
