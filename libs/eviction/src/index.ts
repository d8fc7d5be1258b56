// Public API of @hypercache/eviction (spec: eviction.md). Anything not listed here is internal.
export { ArcEviction } from './arc-eviction';
export type { ArcOptions, ArcSnapshot } from './arc-options';
export { CawolfuEviction } from './cawolfu-eviction';
export { ClockEviction } from './clock-eviction';
export type { ClockOptions } from './clock-eviction';
export { createEvictionAlgorithm } from './create-eviction-algorithm';
export type { CreateEvictionAlgorithmOptions } from './create-eviction-algorithm';
export {
  AlgorithmNotFoundError,
  EmptyParamError,
  EVICTION_ERROR_CODES,
  EvictionError,
  InvalidCapacityError,
  InvalidEvictionOptionError,
  InvalidShardCountError,
  NegativeCapacityError,
} from './errors';
export type { EvictionErrorCode } from './errors';
export { DEFAULT_EVICTION_ALGORITHM, EVICTION_ALGORITHMS } from './eviction-algorithm';
export type {
  EvictionAlgorithm,
  EvictionAlgorithmFactory,
  EvictionAlgorithmName,
  EvictionHandles,
  SlotEvictionAlgorithm,
} from './eviction-algorithm';
export { resolveEvictionOptions } from './eviction-options';
export type { EvictionOptions } from './eviction-options';
export { createDefaultEvictionRegistry, EvictionRegistry, registerArc } from './eviction-registry';
export type { DefaultEvictionRegistryOptions } from './eviction-registry';
export { LfuEviction } from './lfu-eviction';
export { LruEviction } from './lru-eviction';
export { ShardedEviction } from './sharded-eviction';
export type { ShardedEvictionOptions } from './sharded-eviction';
