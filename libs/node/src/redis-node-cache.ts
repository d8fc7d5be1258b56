import type { AsyncHyperCache, CacheItem, HybridLogicalClock } from '@hypercache/cache-engine';
import { compileKeyPattern } from '@hypercache/distributed';
import type { KeyPageView, KeyQuery, NodeCache, NodeConfigView, NodeItem, NodeMaintenance, NodeStats, NodeWrite, NodeWriteResult } from './node-cache';

/** Parts of {@link RedisNodeCache}. */
export interface RedisNodeCacheParts {
  /** This node's ID: the `origin` of its writes and the one "owner" it reports. */
  readonly nodeId: string;
  /** The engine facade over the Redis / Redis Cluster backend (values are the raw bytes). */
  readonly cache: AsyncHyperCache<Buffer>;
  /** The version clock the facade was built with (`AsyncHyperCacheOptions.clock`). */
  readonly clock: HybridLogicalClock;
  /** Wall clock, epoch ms. */
  readonly now: () => number;
  /** How long the item count behind `/config` (`allocation`) and `/metrics` (`cache.items`) may be reused, ms (default 30 s). */
  readonly sizeRefreshMs?: number;
}

/** Items and bytes under this node's key prefix, as last counted. */
export interface RedisSizeView {
  readonly items: number;
  readonly bytes: number;
}

/**
 * {@link NodeCache} of a stateless node whose data lives in Redis or a Redis Cluster (issue 15).
 * Every node over the same Redis and key prefix serves the same data: there is no ring, no
 * replication, no hint and no tombstone; each node reports itself as the key's only owner.
 *
 * Versions (docs/decisions.md B22): a write first reads the key's current record and issues its
 * version from this node's hybrid logical clock above it (`issue(now, current)`), and every
 * version read is folded into the clock. So a write that starts after another was acknowledged —
 * through any node — gets a higher version; concurrent writes of one key are not ordered.
 *
 * `maintenance.clear()` deletes only this prefix's keys; data calls made after it wait for it,
 * so a clear is observed by this node's next read.
 */
export class RedisNodeCache implements NodeCache {
  readonly nodeId: string;
  readonly maintenance: NodeMaintenance;
  readonly #p: RedisNodeCacheParts;
  readonly #owners: readonly string[];
  readonly #refreshMs: number;
  #clearing: Promise<void> | undefined;
  #items = 0;
  // Running sums of the record sizes this node wrote or read: their mean sizes the prefix's items.
  #seenBytes = 0;
  #seenItems = 0;
  // Bumped by clear: a count started before it must not restore the old figure.
  #clears = 0;
  #sizeAtMs = Number.NEGATIVE_INFINITY;
  #sizing: Promise<void> | undefined;

  constructor(parts: RedisNodeCacheParts) {
    this.#p = parts;
    this.nodeId = parts.nodeId;
    this.#owners = Object.freeze([parts.nodeId]);
    this.#refreshMs = parts.sizeRefreshMs ?? 30_000;
    this.maintenance = this.#maintenance();
  }

  async get(key: string): Promise<NodeItem | undefined> {
    if (this.#clearing !== undefined) await this.#afterClear();
    return this.#view(await this.#p.cache.getWithInfo(key));
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<NodeWriteResult> {
    if (this.#clearing !== undefined) await this.#afterClear();
    const { cache, clock, now } = this.#p;
    const current = await cache.getWithInfo(key);
    const at = now();
    const version = clock.issue(at, current?.version ?? 0);
    const written = await cache.set(key, value, ttlMs, { version, origin: this.nodeId, expiresAtMs: ttlMs > 0 ? at + ttlMs : 0 });
    if (current === undefined) this.#items++;
    this.#seen(written.size);
    return { owners: this.#owners };
  }

  async remove(key: string): Promise<NodeWriteResult> {
    if (this.#clearing !== undefined) await this.#afterClear();
    await this.#p.cache.remove(key);
    return { owners: this.#owners };
  }

  async getMany(keys: readonly string[]): Promise<Array<NodeItem | undefined>> {
    // Issued together: one pipeline of GETs on the connection, answers in order.
    return Promise.all(keys.map((k) => this.get(k)));
  }

  setMany(items: readonly NodeWrite[]): Promise<Array<PromiseSettledResult<NodeWriteResult>>> {
    return Promise.allSettled(items.map((it) => this.set(it.key, it.value, it.ttlMs)));
  }

  removeMany(keys: readonly string[]): Promise<Array<PromiseSettledResult<NodeWriteResult>>> {
    return Promise.allSettled(keys.map((k) => this.remove(k)));
  }

  /**
   * The key browser over this prefix (client-api.md §5.6): the backend's SCAN of the prefix (every
   * master of a cluster), filtered by the pattern, capped at `max`, sorted by byte order, paged.
   * One node answers for all of them: there is no `partial_nodes`.
   */
  async keys(q: KeyQuery): Promise<KeyPageView> {
    const matches = compileKeyPattern(q.pattern);
    if (this.#clearing !== undefined) await this.#afterClear();
    const now = this.#p.now();
    const set = new Set<string>();
    let truncated = false;
    for (const item of await this.#p.cache.list()) {
      if (!matches(item.key) || (item.expiresAtMs !== 0 && now > item.expiresAtMs)) continue;
      if (set.size >= q.max) {
        truncated = true;
        break;
      }
      set.add(item.key);
    }
    const sorted = [...set].sort(byteOrder);
    const end = q.cursor + q.limit;
    return { keys: sorted.slice(q.cursor, end), next_cursor: end < sorted.length ? String(end) : '', total_matched: sorted.length, truncated, node: this.nodeId };
  }

  /** Any stateless node serves any key: the answering node is the one owner. */
  ownersOf(_key: string): readonly string[] {
    return this.#owners;
  }

  /**
   * Items and bytes under the prefix, estimated: the last key count (the backend's `count`, a
   * key-only `SCAN` of the prefix, started at most every `sizeRefreshMs` when this is read) plus
   * this node's new keys since; bytes = items × the mean size of the records this node has
   * written or read. Other nodes' writes and Redis expiry show at the next count.
   */
  size(): RedisSizeView {
    if (this.#p.now() - this.#sizeAtMs >= this.#refreshMs && this.#sizing === undefined) {
      this.#sizing = this.#count().finally(() => (this.#sizing = undefined));
    }
    const meanBytes = this.#seenItems === 0 ? 0 : this.#seenBytes / this.#seenItems;
    return { items: this.#items, bytes: Math.round(this.#items * meanBytes) };
  }

  async #count(): Promise<void> {
    this.#sizeAtMs = this.#p.now();
    const clears = this.#clears;
    try {
      const items = await this.#p.cache.count();
      if (clears === this.#clears) this.#items = items;
    } catch {
      // Redis unreachable: keep the last figure; the next read retries after sizeRefreshMs.
    }
  }

  #seen(bytes: number): void {
    this.#seenBytes += bytes;
    this.#seenItems++;
  }

  /** Waits for a pending clear (it never rejects: its outcome goes to the clear's caller). */
  async #afterClear(): Promise<void> {
    await this.#clearing;
  }

  #view(item: Readonly<CacheItem<Buffer>> | undefined): NodeItem | undefined {
    if (item === undefined) return undefined;
    this.#p.clock.observe(item.version);
    this.#seen(item.size);
    return { key: item.key, value: item.value, version: item.version, origin: item.origin, lastUpdatedMs: item.lastUpdatedMs, expiresAtMs: item.expiresAtMs };
  }

  #maintenance(): NodeMaintenance {
    return {
      // No stats collector over Redis (AsyncHyperCache keeps plain counters: /metrics cache_*).
      stats: (): NodeStats => ({}),
      config: (): NodeConfigView => ({
        // Capacity and eviction are Redis's own (maxmemory, maxmemory-policy); no ring.
        capacity: 0,
        allocation: this.size().bytes,
        maxCacheSize: 0,
        evictionIntervalMs: 0,
        expirationIntervalMs: 0,
        evictionAlgorithm: 'redis',
        replication: 1,
        virtualNodesPerNode: 0,
      }),
      // Redis evicts and expires by itself (native TTL): nothing to trigger.
      triggerEviction: () => undefined,
      triggerExpiration: () => undefined,
      clear: () => {
        const run = (this.#clearing ?? Promise.resolve()).then(() => this.#p.cache.clear());
        const settled = run.then(
          () => undefined,
          () => undefined,
        );
        this.#clearing = settled;
        void settled.then(() => {
          if (this.#clearing === settled) this.#clearing = undefined;
        });
        this.#items = 0;
        this.#clears++;
        return run;
      },
    };
  }
}

/** Go string order: byte-wise over UTF-8 (as the cluster's key browser). */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
