import { CacheError, StatsCollectorNotFoundError } from '../errors';
import { HistogramStatsCollector } from './histogram-stats-collector';
import type { StatsCollector } from './stats-collector';

/** Builds a fresh collector. */
export type StatsCollectorFactory = () => StatsCollector;

/**
 * Name → collector factory (engine.md §7). {@link StatsCollectorRegistry.withDefaults} registers
 * `default` and `histogram` (both the histogram collector). Unknown name → `StatsCollectorNotFoundError`.
 */
export class StatsCollectorRegistry {
  readonly #factories = new Map<string, StatsCollectorFactory>();

  /** A registry holding `default` and `histogram`. */
  static withDefaults(): StatsCollectorRegistry {
    const r = new StatsCollectorRegistry();
    r.register('default', () => new HistogramStatsCollector());
    r.register('histogram', () => new HistogramStatsCollector());
    return r;
  }

  /** Registers (or replaces) a factory; empty name → `param cannot be empty`. */
  register(name: string, factory: StatsCollectorFactory): this {
    if (name.trim().length === 0) throw new CacheError('BAD_REQUEST', 'param cannot be empty');
    this.#factories.set(name, factory);
    return this;
  }

  has(name: string): boolean {
    return this.#factories.has(name);
  }

  names(): string[] {
    return [...this.#factories.keys()];
  }

  /** A new collector from the named factory. */
  create(name: string): StatsCollector {
    const factory = this.#factories.get(name);
    if (factory === undefined) throw new StatsCollectorNotFoundError(name);
    return factory();
  }
}
