import type { HyperCache } from '@hypercache/cache-engine';
import type { DistributedCache } from '@hypercache/distributed';
import { MemberState, type MembershipTable, type RingTopology } from '@hypercache/membership';
import { heartbeatView, membersView, type HeartbeatView, type MembersView } from './cluster-views';
import { HttpRequestCounters, Listener, type EngineMetricsSnapshot, type HttpRequestSeries, type MemoryMetricsSnapshot, type NodeMetricsSnapshot } from '@hypercache/telemetry';

/** Sources of {@link NodeMetrics}. */
export interface NodeMetricsSources {
  readonly dist: DistributedCache;
  readonly membership: MembershipTable;
  readonly engine: HyperCache<Buffer>;
  readonly topology: RingTopology;
  /** The container's memory limit in bytes (config `memory.containerLimitBytes`), 0/absent = none. */
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

  /** `GET /cluster/members` (management-api.md §6). */
  members(): MembersView {
    return membersView(this.#s.topology, this.#s.membership);
  }

  /** `GET /cluster/heartbeat` (management-api.md §2). */
  heartbeat(): HeartbeatView {
    return heartbeatView(this.#s.dist.metrics);
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
