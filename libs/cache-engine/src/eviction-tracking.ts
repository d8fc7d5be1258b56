import { NO_EVICTION, type EvictionAlgorithm, type NamedAlgorithmFactory } from './eviction-algorithm';

/** The algorithm tracking stored keys and the count at which the engine evicts before inserting. */
export interface EvictionTrackingPlan {
  algorithm: EvictionAlgorithm<string>;
  /** 0 = no bound (nothing tracked, or unlimited). */
  trackingCapacity: number;
  /** Whether `algorithm` was just built and must be given every stored key, oldest access first. */
  retrack: boolean;
}

/**
 * Chooses how the engine tracks keys for eviction (engine.md §5; TS sizes the algorithm by the
 * backend capacity, not by `maxEvictionCount`, so no key is ever silently untracked):
 * - capacity > 0: tracking capacity 2 × capacity (headroom for a lagging eviction loop); the
 *   factory also gets the capacity itself as the cache's bound (ARC's `c`);
 * - capacity 0 with `maxEvictionCount` > 0 (upstream trap, still evicts): unbounded;
 * - capacity 0 with a byte limit that evicts (`cacheFullPolicy: 'evict'`): unbounded;
 * - otherwise (capacity 0, `maxEvictionCount` 0): nothing can be evicted, nothing is tracked (no cost).
 * A caller-supplied instance is always used as is. Growing a named algorithm rebuilds it (`retrack`:
 * the caller re-tracks the stored keys oldest access first; frequency history is lost); shrinking
 * keeps it.
 */
export function planEvictionTracking(
  o: {
    evictionAlgorithm: string | EvictionAlgorithm<string>;
    evictionAlgorithmFactory: NamedAlgorithmFactory;
    maxCacheSizeBytes: number;
    cacheFullPolicy: 'reject' | 'evict';
  },
  capacity: number,
  maxEvictionCount: number,
  current: EvictionAlgorithm<string>,
  currentTracking: number,
): EvictionTrackingPlan {
  const evictsBytes = o.maxCacheSizeBytes > 0 && o.cacheFullPolicy === 'evict';
  const tracking = capacity > 0 ? capacity * 2 : maxEvictionCount > 0 || evictsBytes ? Number.MAX_SAFE_INTEGER : 0;
  if (typeof o.evictionAlgorithm !== 'string') {
    return { algorithm: o.evictionAlgorithm, trackingCapacity: tracking === 0 ? Number.MAX_SAFE_INTEGER : tracking, retrack: false };
  }
  if (current !== NO_EVICTION && tracking <= currentTracking) return { algorithm: current, trackingCapacity: tracking, retrack: false };
  if (tracking === 0) return { algorithm: current, trackingCapacity: currentTracking, retrack: false };
  const algorithm = o.evictionAlgorithmFactory(o.evictionAlgorithm, tracking, capacity > 0 ? capacity : tracking);
  return { algorithm, trackingCapacity: tracking, retrack: true };
}
