import type { EngineCounters, HyperCache } from '@hypercache/cache-engine';
import type { DistributedCache } from '@hypercache/distributed';
import { NotClusteredError } from './errors';
import { MemberState, type MembershipTable, type RingTopology } from '@hypercache/membership';
import { heartbeatView, membersView, type HeartbeatView, type MembersView } from './cluster-views';
import { HttpRequestCounters, Listener, type EngineMetricsSnapshot, type HttpRequestSeries, type MemoryMetricsSnapshot, type NodeMetricsSnapshot } from '@hypercache/telemetry';

/** What {@link NodeMetrics} reads of the node's store: the engine in memory, Redis's figures otherwise. */
export interface StoreFigures {
  counters(): EngineCounters;
  /** Gauge: stored items. */
  items(): number;
  /** Gauge: accounted bytes. */
  bytes(): number;
  /** `HYPERCACHE_MAX_MEMORY` in effect, 0 = no byte limit. */
  limitBytes(): number;
}

/** The figures of the in-memory engine. */
export function engineFigures(engine: HyperCache<Buffer>): StoreFigures {
  return { counters: () => engine.counters(), items: () => engine.count(), bytes: () => engine.allocation(), limitBytes: () => engine.maxCacheSize() };
}

/** The cluster parts {@link NodeMetrics} reads (absent on a stateless node over Redis). */
export interface ClusterMetricsSources {
  readonly dist: DistributedCache;
  readonly membership: MembershipTable;
  readonly topology: RingTopology;
}

/** Sources of {@link NodeMetrics}. */
export interface NodeMetricsSources {
  readonly store: StoreFigures;
  /** The cluster; undefined on a node over Redis (its dist and membership views then answer NOT_CLUSTERED). */
  readonly cluster?: ClusterMetricsSources;
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

  /** Whether the node is a cluster member (false over Redis: no dist, membership or ring views). */
  get isClustered(): boolean {
    return this.#s.cluster !== undefined;
  }

  #cluster(what: string): ClusterMetricsSources {
    if (this.#s.cluster === undefined) throw new NotClusteredError(what);
    return this.#s.cluster;
  }

  /**
   * The DistMetrics snapshot of `/dist/metrics` (management-api.md §5), with the membership gauges
   * (`MembersAlive/Suspect/Dead`, `MembershipVersion`) and `TombstonesActive` refreshed first.
   */
  distSnapshot(): Record<string, number | string> {
    const { dist, membership } = this.#cluster('/dist/metrics');
    const m = dist.metrics;
    let alive = 0;
    let suspect = 0;
    let dead = 0;
    for (const member of membership.list()) {
      if (member.state === MemberState.Alive) alive++;
      else if (member.state === MemberState.Suspect) suspect++;
      else dead++;
    }
    m.MembersAlive = alive;
    m.MembersSuspect = suspect;
    m.MembersDead = dead;
    m.MembershipVersion = membership.version;
    m.TombstonesActive = dist.tombstones.size;
    return m.snapshot();
  }

  /** `GET /cluster/members` (management-api.md §6). */
  members(): MembersView {
    const { topology, membership } = this.#cluster('/cluster/members');
    return membersView(topology, membership);
  }

  /** `GET /cluster/heartbeat` (management-api.md §2). */
  heartbeat(): HeartbeatView {
    return heartbeatView(this.#cluster('/cluster/heartbeat').dist.metrics);
  }

  /** Engine counters and gauges. */
  engineSnapshot(): EngineMetricsSnapshot {
    const e = this.#s.store;
    const c = e.counters();
    return {
      hits: c.hits,
      misses: c.misses,
      expiredReads: c.expiredReads,
      evictions: c.evictions,
      expirations: c.expirations,
      items: e.items(),
      bytes: e.bytes(),
    };
  }

  /** Memory limit and use, hint queue and tombstones (`/metrics`, `/stats`). */
  memorySnapshot(): MemoryMetricsSnapshot {
    const { store, cluster } = this.#s;
    const dist = cluster?.dist;
    return {
      usedBytes: store.bytes(),
      limitBytes: store.limitBytes(),
      rssBytes: process.memoryUsage.rss(),
      containerLimitBytes: this.#s.containerMemoryLimitBytes ?? 0,
      hintItems: dist?.hints.size ?? 0,
      hintBytes: dist?.hints.bytes ?? 0,
      tombstones: dist?.tombstones.size ?? 0,
      replicaTooLarge: dist?.replicaTooLarge ?? 0,
      writeRestamps: dist?.writeRestamps ?? 0,
    };
  }

  /** One snapshot of everything (what a collection callback observes). */
  snapshot(): NodeMetricsSnapshot {
    const http: Array<{ listener: Listener } & HttpRequestSeries> = [];
    for (const listener of Object.values(Listener)) {
      for (const s of this.http[listener].series()) http.push({ listener, ...s });
    }
    // Over Redis there is no dist layer: an empty dist object (its instruments observe nothing).
    return { dist: this.isClustered ? this.distSnapshot() : {}, engine: this.engineSnapshot(), memory: this.memorySnapshot(), http };
  }
}
