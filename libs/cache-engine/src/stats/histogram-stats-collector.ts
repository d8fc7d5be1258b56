import { InvalidOptionError } from '../errors';
import { StatSeries } from './stat-series';
import type { StatAggregate, StatsCollector } from './stats-collector';

/** Options of {@link HistogramStatsCollector}. */
export interface HistogramStatsCollectorOptions {
  /** Recent samples kept per stat for median/variance/percentiles/`Values` (default 4096; 0 = aggregates only). engine.md §7. */
  windowSize?: number;
}

/**
 * The default stats collector (engine.md §7, registry name `default` / `histogram`): per stat,
 * lifetime-exact count/sum/min/max/mean and a ring buffer of recent samples. Node is
 * single-threaded, so no sample is ever skipped.
 */
export class HistogramStatsCollector implements StatsCollector {
  readonly #series = new Map<string, StatSeries>();
  readonly #windowSize: number;

  constructor(options: HistogramStatsCollectorOptions = {}) {
    const windowSize = options.windowSize ?? 4096;
    if (!Number.isSafeInteger(windowSize) || windowSize < 0) {
      throw new InvalidOptionError('windowSize', windowSize, 'must be a non-negative integer');
    }
    this.#windowSize = windowSize;
  }

  incr(stat: string, value: number): void {
    this.#record(stat, value);
  }

  decr(stat: string, value: number): void {
    this.#record(stat, -value);
  }

  timing(stat: string, valueNs: number): void {
    this.#record(stat, valueNs);
  }

  gauge(stat: string, value: number): void {
    this.#record(stat, value);
  }

  histogram(stat: string, value: number): void {
    this.#record(stat, value);
  }

  /** Nearest-rank percentile of `stat` over its window, `p` in [0, 1] (clamped); 0 if unknown. */
  percentile(stat: string, p: number): number {
    return this.#series.get(stat)?.percentile(p) ?? 0;
  }

  getStats(): Record<string, StatAggregate> {
    const out: Record<string, StatAggregate> = {};
    for (const [name, series] of this.#series) out[name] = series.snapshot();
    return out;
  }

  #record(stat: string, value: number): void {
    let series = this.#series.get(stat);
    if (series === undefined) {
      series = new StatSeries(this.#windowSize);
      this.#series.set(stat, series);
    }
    series.add(value);
  }
}
