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

/**
 * Everything one metrics collection reads, taken at once. The core builds it from the node's
 * parts; telemetry only turns it into instruments (it knows no domain type).
 */
export interface NodeMetricsSnapshot {
  /** `/dist/metrics` object: PascalCase fields, membership gauges refreshed. */
  readonly dist: Record<string, number | string>;
  readonly engine: EngineMetricsSnapshot;
  readonly http: ReadonlyArray<{ readonly listener: Listener } & HttpRequestSeries>;
}
