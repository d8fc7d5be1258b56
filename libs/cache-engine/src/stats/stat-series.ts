import type { StatAggregate } from './stats-collector';

/**
 * One stat's samples (engine.md §7): exact lifetime count/sum/min/max plus a ring buffer of the
 * most recent `window` samples for median, variance, percentiles and `Values`.
 */
export class StatSeries {
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;
  readonly #ring: Float64Array;
  #next = 0;
  #filled = 0;

  /** @param window recent samples kept (≥ 0; 0 = aggregates only). */
  constructor(window: number) {
    this.#ring = new Float64Array(window);
  }

  add(value: number): void {
    this.#count++;
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    const ring = this.#ring;
    if (ring.length === 0) return;
    ring[this.#next] = value;
    this.#next = this.#next + 1 === ring.length ? 0 : this.#next + 1;
    if (this.#filled < ring.length) this.#filled++;
  }

  /** Recent samples sorted ascending. */
  sortedWindow(): Float64Array {
    return this.#ring.slice(0, this.#filled).sort();
  }

  /** Nearest-rank percentile over the window, `p` clamped to [0, 1]; 0 when no samples. */
  percentile(p: number): number {
    const sorted = this.sortedWindow();
    if (sorted.length === 0) return 0;
    const q = Math.min(1, Math.max(0, Number.isNaN(p) ? 0 : p));
    const rank = Math.max(1, Math.ceil(q * sorted.length));
    return sorted[rank - 1];
  }

  snapshot(): StatAggregate {
    const sorted = this.sortedWindow();
    const n = sorted.length;
    let median = 0;
    let variance = 0;
    if (n > 0) {
      median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      let mean = 0;
      for (const v of sorted) mean += v;
      mean /= n;
      for (const v of sorted) variance += (v - mean) * (v - mean);
      variance /= n;
    }
    return {
      Mean: this.#count === 0 ? 0 : this.#sum / this.#count,
      Median: median,
      Min: this.#min,
      Max: this.#max,
      Values: Array.from(sorted),
      Count: this.#count,
      Sum: this.#sum,
      Variance: variance,
    };
  }
}
