/** Plain per-op counters of the engine (cheap: no collector on the hot path). */
export interface EngineCounters {
  /** Successful reads (get, getWithInfo, getOrSet hit, getMultiple hit). */
  hits: number;
  /** Reads of missing keys. */
  misses: number;
  /** Reads of expired-but-present keys (reported as misses to the caller). */
  expiredReads: number;
  /** Items removed by eviction (passes, proactive and overflow). */
  evictions: number;
  /** Items removed by expiration sweeps. */
  expirations: number;
}
