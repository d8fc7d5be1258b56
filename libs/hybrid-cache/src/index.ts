// Public API of @hypercache/hybrid-cache (hybrid-cache.md). Anything not exported here is internal.
export { HybridCache, type GetResult } from './hybrid-cache';
export { TypedCache, type TypeGuard } from './typed-cache';
export { resolveHybridCacheOptions, type HybridCacheOptions, type ResolvedHybridCacheOptions, type CircuitBreakerSettings } from './cache-options';
export { DEFAULT_ENTRY_OPTIONS, CachePriority, mergeEntryOptions, type EntryOptions, type EntryOptionsInput } from './entry-options';
export { FactoryContext, type Factory } from './factory-context';
export { type ManyFactory } from './get-or-set-many';
export { CacheEvents, CacheEventType, type CacheEvent, type CacheEventHandler, type BreakerState } from './events';
export { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
export { type CacheEntry } from './entry';
export { type L1Adapter } from './l1/l1-adapter';
export { EngineL1, type EngineL1Options } from './l1/engine-l1';
export { type L2Adapter } from './l2/l2-adapter';
export { MemoryL2, type MemoryL2Options } from './l2/memory-l2';
export { RedisL2, type RedisL2Options, type RedisLikeClient } from './l2/redis-l2';
export {
  BackplaneMessageType,
  encodeBackplaneMessage,
  decodeBackplaneMessage,
  type Backplane,
  type BackplaneMessage,
  type BackplaneSubscriber,
} from './backplane/backplane';
export { MemoryBackplane, MemoryBackplaneHub } from './backplane/memory-backplane';
export { RedisBackplane, type RedisBackplaneOptions } from './backplane/redis-backplane';
export { JsonSerializer, MsgpackSerializer, type Serializer } from './serializers';
export { SYSTEM_TIMERS, type Timers } from './timers';
export { NOOP_HYBRID_LOGGER, type HybridCacheLogger } from './logger';
export { HYBRID_CACHE_CHANNELS, hybridCacheCounters, type HybridCacheCounters } from './telemetry';
export {
  HybridCacheError,
  FactoryHardTimeoutError,
  LockTimeoutError,
  TypeMismatchError,
  InvalidOptionError,
  MissingSerializerError,
  SerializationError,
  DistributedCacheError,
  BackplaneError,
  OperationTimeoutError,
  FactoryFailedError,
  CacheClosedError,
} from './errors';
