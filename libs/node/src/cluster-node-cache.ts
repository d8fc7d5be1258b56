import type { HyperCache } from '@hypercache/cache-engine';
import type { DistributedCache, KeyBrowser } from '@hypercache/distributed';
import type { RingTopology } from '@hypercache/membership';
import type { KeyPageView, KeyQuery, NodeCache, NodeConfigView, NodeItem, NodeMaintenance, NodeStats, NodeWrite, NodeWriteResult } from './node-cache';

/** Engine settings the server chose that the engine does not report itself (`GET /config`). */
export interface EngineSettingsView {
  readonly evictionIntervalMs: number;
  readonly expirationIntervalMs: number;
  readonly evictionAlgorithm: string;
}

/** Parts of {@link ClusterNodeCache}. */
export interface ClusterNodeCacheParts {
  readonly dist: DistributedCache;
  readonly keyBrowser: KeyBrowser;
  readonly engine: HyperCache<Buffer>;
  readonly topology: RingTopology;
  readonly engineSettings: EngineSettingsView;
}

/**
 * {@link NodeCache} over the distributed in-memory cluster: reads and writes go through the
 * {@link DistributedCache} (forwarding, quorum, read-repair, hints), the key browser fans out to
 * every alive member, and the local GET fast path is the dist cache's ONE-consistency read.
 */
export class ClusterNodeCache implements NodeCache {
  readonly nodeId: string;
  readonly getLocal: (key: string) => Buffer | undefined;
  readonly setLocal: (key: string, value: Buffer, ttlMs: number) => NodeWriteResult | undefined;
  readonly maintenance: NodeMaintenance;
  readonly #p: ClusterNodeCacheParts;

  constructor(parts: ClusterNodeCacheParts) {
    this.#p = parts;
    this.nodeId = parts.topology.nodeId;
    // Bound once: the GET hot path calls it directly, with no extra hop.
    this.getLocal = parts.dist.localValue.bind(parts.dist);
    this.setLocal = parts.dist.setAlone.bind(parts.dist);
    this.maintenance = engineMaintenance(parts);
  }

  get(key: string): Promise<NodeItem | undefined> {
    return this.#p.dist.get(key);
  }

  set(key: string, value: Buffer, ttlMs: number): Promise<NodeWriteResult> {
    return this.#p.dist.set(key, value, ttlMs);
  }

  remove(key: string): Promise<NodeWriteResult> {
    return this.#p.dist.remove(key);
  }

  async getMany(keys: readonly string[]): Promise<Array<NodeItem | undefined>> {
    const out: Array<NodeItem | undefined> = [];
    // One key at a time, in order (as upstream's batch handler).
    for (const key of keys) out.push(await this.#p.dist.get(key));
    return out;
  }

  async setMany(items: readonly NodeWrite[]): Promise<Array<PromiseSettledResult<NodeWriteResult>>> {
    const out: Array<PromiseSettledResult<NodeWriteResult>> = [];
    for (const it of items) out.push(await settle(this.#p.dist.set(it.key, it.value, it.ttlMs)));
    return out;
  }

  async removeMany(keys: readonly string[]): Promise<Array<PromiseSettledResult<NodeWriteResult>>> {
    const out: Array<PromiseSettledResult<NodeWriteResult>> = [];
    for (const key of keys) out.push(await settle(this.#p.dist.remove(key)));
    return out;
  }

  keys(q: KeyQuery): Promise<KeyPageView> {
    return this.#p.keyBrowser.page(q.pattern, q.cursor, q.limit, q.max);
  }

  ownersOf(key: string): readonly string[] {
    return this.#p.topology.ownersOf(key);
  }
}

function settle<T>(p: Promise<T>): Promise<PromiseSettledResult<T>> {
  return p.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}

function engineMaintenance({ engine, topology, engineSettings }: ClusterNodeCacheParts): NodeMaintenance {
  return {
    stats: (): NodeStats => engine.getStats(),
    config: (): NodeConfigView => ({
      capacity: engine.capacity(),
      allocation: engine.allocation(),
      maxCacheSize: engine.maxCacheSize(),
      ...engineSettings,
      replication: topology.ring.replication,
      virtualNodesPerNode: topology.ring.virtualNodes,
    }),
    triggerEviction: () => engine.triggerEviction(),
    triggerExpiration: () => engine.triggerExpiration(),
    clear: () => engine.clear(),
  };
}
