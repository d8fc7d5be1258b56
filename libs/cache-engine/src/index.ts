// Public API of @hypercache/cache-engine (engine.md): the spec-named library API. Anything not
// exported here is internal; test doubles are on `@hypercache/cache-engine/testing`.
export { HyperCache } from './hyper-cache';
export { type EngineCounters } from './engine-counters';
export { CacheFullPolicy, type HyperCacheOptions } from './hyper-cache-options';
export { type CacheItem, type WriteStamp, isValidKey } from './item';
export { HybridLogicalClock } from './hybrid-logical-clock';
export { CoarseClock, type CoarseClockOptions } from './coarse-clock';
export { type CacheService, type GetMultipleResult, type ValueOrLoader } from './cache-service';
export { type Backend, type MaybePromise } from './backends/backend';
export { AsyncHyperCache, type AsyncHyperCacheOptions } from './async-hyper-cache';
export { type AsyncCacheService } from './async-cache-service';
export { InMemoryBackend, type InMemoryBackendOptions } from './backends/in-memory-backend';
export { type ListFilter, SortField, sortBy, sortOrderAsc, filterFunc, applyListFilters } from './list-filters';
export { type SizeOf, defaultSizeOf } from './size-of';
export { ExpiryMode } from './expiry-mode';
export { type EvictionAlgorithm, type NamedAlgorithmFactory } from './eviction-algorithm';
export { type EngineLogger } from './engine-logger';
export { type StatAggregate, type StatsCollector } from './stats/stats-collector';
export { HistogramStatsCollector, type HistogramStatsCollectorOptions } from './stats/histogram-stats-collector';
export { StatsCollectorRegistry, type StatsCollectorFactory } from './stats/stats-collector-registry';
export { type Middleware, type AsyncMiddleware, applyMiddleware } from './middleware/middleware';
export { LoggingMiddleware, loggingMiddleware, AsyncLoggingMiddleware, asyncLoggingMiddleware } from './middleware/logging.middleware';
export { StatsMiddleware, statsMiddleware, AsyncStatsMiddleware, asyncStatsMiddleware } from './middleware/stats.middleware';
export { Typed, type TypeGuard } from './typed';
export {
  CacheError,
  InvalidKeyError,
  NilValueError,
  InvalidExpirationError,
  CacheFullError,
  ItemTooLargeError,
  KeyNotFoundError,
  KeyExpiredError,
  InvalidSortFieldError,
  TypeMismatchError,
  InvalidOptionError,
  StatsCollectorNotFoundError,
} from './errors';
