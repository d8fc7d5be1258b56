import type { HyperCache } from '@hypercache/cache-engine';
import type { DistributedCache } from '@hypercache/distributed';
import { MemberState, type MembershipTable } from '@hypercache/membership';
import { HttpRequestCounters, type HttpRequestSeries } from './http-request-counters';

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
}

/** Everything one metrics collection reads, taken at once. */
export interface NodeMetricsSnapshot {
  /** `/dist/metrics` object: PascalCase fields, membership gauges refreshed. */
  readonly dist: Record<string, number | string>;
  readonly engine: EngineMetricsSnapshot;
  readonly memory: MemoryMetricsSnapshot;
  readonly http: ReadonlyArray<{ readonly listener: Listener } & HttpRequestSeries>;
}

/** Sources of {@link NodeMetrics}. */
export interface NodeMetricsSources {
  readonly dist: DistributedCache;
  readonly membership: MembershipTable;
  readonly engine: HyperCache<Buffer>;
  /** The container's memory limit in bytes (config `containerMemoryLimitBytes`), 0/absent = none. */
  readonly containerMemoryLimitBytes?: number;
}

/**
 * Reads the node's counters (dist, engine, HTTP) into one snapshot. The counters themselves are
 * plain numbers incremented on the data path; this class only reads them, so collection cost is
 * paid per scrape, never per operation.
 */
export class NodeMetrics {
  /** Request counters per listener; each app installs its own with `installRequestMetrics`. */
  readonly http: Readonly<Record<Listener, HttpRequestCounters>> = {
    api: new HttpRequestCounters(),
    management: new HttpRequestCounters(),
    dist: new HttpRequestCounters(),
  };
  readonly #s: NodeMetricsSources;

  constructor(sources: NodeMetricsSources) {
    this.#s = sources;
  }

  /**
   * The DistMetrics snapshot of `/dist/metrics` (management-api.md §5), with the membership gauges
   * (`MembersAlive/Suspect/Dead`, `MembershipVersion`) and `TombstonesActive` refreshed first.
   */
  distSnapshot(): Record<string, number | string> {
    const m = this.#s.dist.metrics;
    let alive = 0;
    let suspect = 0;
    let dead = 0;
    for (const member of this.#s.membership.list()) {
      if (member.state === MemberState.Alive) alive++;
      else if (member.state === MemberState.Suspect) suspect++;
      else dead++;
    }
    m.MembersAlive = alive;
    m.MembersSuspect = suspect;
    m.MembersDead = dead;
    m.MembershipVersion = this.#s.membership.version;
    m.TombstonesActive = this.#s.dist.tombstones.size;
    return m.snapshot();
  }

  /** Engine counters and gauges. */
  engineSnapshot(): EngineMetricsSnapshot {
    const e = this.#s.engine;
    const c = e.counters();
    return {
      hits: c.hits,
      misses: c.misses,
      expiredReads: c.expiredReads,
      evictions: c.evictions,
      expirations: c.expirations,
      items: e.count(),
      bytes: e.allocation(),
    };
  }

  /** Memory limit and use, hint queue and tombstones (`/metrics`, `/stats`). */
  memorySnapshot(): MemoryMetricsSnapshot {
    const { engine, dist } = this.#s;
    return {
      usedBytes: engine.allocation(),
      limitBytes: engine.maxCacheSize(),
      rssBytes: process.memoryUsage.rss(),
      containerLimitBytes: this.#s.containerMemoryLimitBytes ?? 0,
      hintItems: dist.hints.size,
      hintBytes: dist.hints.bytes,
      tombstones: dist.tombstones.size,
      replicaTooLarge: dist.replicaTooLarge,
    };
  }

  /** One snapshot of everything (what a collection callback observes). */
  snapshot(): NodeMetricsSnapshot {
    const http: Array<{ listener: Listener } & HttpRequestSeries> = [];
    for (const listener of Object.values(Listener)) {
      for (const s of this.http[listener].series()) http.push({ listener, ...s });
    }
    return { dist: this.distSnapshot(), engine: this.engineSnapshot(), memory: this.memorySnapshot(), http };
  }
}
