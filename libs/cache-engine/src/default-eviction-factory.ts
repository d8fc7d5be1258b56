import { createDefaultEvictionRegistry, createEvictionAlgorithm, type EvictionRegistry } from '@hypercache/eviction';
import type { NamedAlgorithmFactory } from './eviction-algorithm';

/**
 * A {@link NamedAlgorithmFactory} over an eviction registry (eviction.md §7: the engine uses the
 * registry the caller registered into, unlike upstream's fresh default registry).
 * @param registry default: `createDefaultEvictionRegistry()` (`lru`, `lfu`, `clock`, `cawolfu`).
 * @param shardCount eviction shards (eviction.md §8); default 1 = strict global order (Node has no
 *   lock contention to shard away); > 1 must be a power of two.
 */
export function evictionFactoryFrom(registry: EvictionRegistry = createDefaultEvictionRegistry(), shardCount = 1): NamedAlgorithmFactory {
  return (name, capacity, cacheCapacity) => createEvictionAlgorithm(registry, { algorithm: name, capacity, cacheCapacity, shardCount });
}
