/**
 * Aggregate of one stat as served by management `/stats` (management-api.md §3): PascalCase keys;
 * `Mean, Min, Max, Sum, Count` lifetime-exact; `Median, Variance` (population) and `Values` (sorted
 * ascending) over the recent sample window.
 */
export interface StatAggregate {
  Mean: number;
  Median: number;
  Min: number;
  Max: number;
  Values: number[];
  Count: number;
  Sum: number;
  Variance: number;
}

/**
 * Stats collector interface (engine.md §7). All five recorders add one sample to the same per-name
 * aggregate; `decr` records `−value`. Durations are in ns.
 */
export interface StatsCollector {
  incr(stat: string, value: number): void;
  decr(stat: string, value: number): void;
  timing(stat: string, valueNs: number): void;
  gauge(stat: string, value: number): void;
  histogram(stat: string, value: number): void;
  /** Snapshot: stat name → aggregate; stats never recorded are absent. */
  getStats(): Record<string, StatAggregate>;
}
