import type { HttpRequestSeries } from './http-request-counters';

/** The three listeners whose requests are counted (label `listener`). */
export const Listener = { Api: 'api', Management: 'management', Dist: 'dist' } as const;
/** Union of the values of {@link Listener}. */
export type Listener = (typeof Listener)[keyof typeof Listener];

/** Engine figures of one snapshot (cumulative counters and current gauges). */
export interface EngineMetricsSnapshot {
  readonly hits: number;
  readonly misses: number;
  readonly expiredReads: number;
  readonly evictions: number;
  readonly expirations: number;
  /** Gauge: stored items. */
  readonly items: number;
  /** Gauge: accounted bytes. */
  readonly bytes: number;
}

/** Memory figures of one snapshot (gauges, bytes unless named otherwise). */
export interface MemoryMetricsSnapshot {
  /** Bytes accounted for cached items (= `bytes` of the engine snapshot). */
  readonly usedBytes: number;
  /** `HYPERCACHE_MAX_MEMORY` in effect, 0 = no byte limit. */
  readonly limitBytes: number;
  /** Resident set size of the process. */
  readonly rssBytes: number;
  /** The container's cgroup memory limit, 0 = none found. */
  readonly containerLimitBytes: number;
  /** Hints queued for unreachable replicas (`HYPERCACHE_HINT_MAX_*` caps them). */
  readonly hintItems: number;
  /** Approximate bytes of queued hints (= `HintedBytes`). */
  readonly hintBytes: number;
  /** Tombstones held (`HYPERCACHE_TOMBSTONE_TTL` bounds them). */
  readonly tombstones: number;
  /** Cumulative: replica writes refused by a peer as larger than its memory limit. */
  readonly replicaTooLarge: number;
  /** Cumulative: coordinated writes and deletes sent again with a newer version after a replica refused them as stale (F16). */
  readonly writeRestamps: number;
}

/**
 * Everything one metrics collection reads, taken at once. The core builds it from the node's
 * parts; telemetry only turns it into instruments (it knows no domain type).
 */
export interface NodeMetricsSnapshot {
  /** `/dist/metrics` object: PascalCase fields, membership gauges refreshed. */
  readonly dist: Record<string, number | string>;
  readonly engine: EngineMetricsSnapshot;
  readonly memory: MemoryMetricsSnapshot;
  readonly http: ReadonlyArray<{ readonly listener: Listener } & HttpRequestSeries>;
}
