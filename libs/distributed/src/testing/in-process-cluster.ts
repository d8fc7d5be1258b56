import { DistributedCache, type VersionClock } from '../distributed-cache';
import type { DistributedCacheOptions } from '../distributed-cache-options';
import type { DistItem, LocalStore } from '../local-store';
import type { PeerClient } from '../peer-client';
import { QuorumFailedError, StaleVersionError } from '../errors';
import type { KeyOwnership } from '@hypercache/membership';

/** A node of an {@link InProcessCluster}. */
export interface ClusterNode {
  readonly id: string;
  readonly cache: DistributedCache;
  readonly store: LocalStore;
}

/** Thrown for calls to a node the cluster marks down or partitioned. */
export class NodeDownError extends Error {
  readonly code = 'PEER_UNREACHABLE';
}

/**
 * Several {@link DistributedCache} nodes in one process, wired by a {@link PeerClient} that calls
 * the target's peer handlers directly, with per-node down switches (tests only: fast and
 * deterministic; the real HTTP path has its own tests). Values cross the "wire" as copies.
 */
export class InProcessCluster {
  readonly nodes = new Map<string, ClusterNode>();
  readonly #down = new Set<string>();
  nowMs = 1_800_000_000_000;

  constructor(
    ids: readonly string[],
    o: {
      ownership: (nodeId: string) => KeyOwnership;
      store: (nodeId: string, now: () => number) => LocalStore;
      clock: (nodeId: string) => VersionClock;
      options?: DistributedCacheOptions;
    },
  ) {
    for (const id of ids) {
      const now = () => this.nowMs;
      const store = o.store(id, now);
      const cache = new DistributedCache(
        { nodeId: id, store, ownership: () => o.ownership(id), peers: this.#clientFor(id), clock: o.clock(id), now },
        o.options,
      );
      this.nodes.set(id, { id, cache, store });
    }
  }

  node(id: string): ClusterNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  /** Makes every call to (and from) `id` fail as unreachable. */
  down(id: string): void {
    this.#down.add(id);
  }

  up(id: string): void {
    this.#down.delete(id);
  }

  #target(from: string, to: string): DistributedCache {
    if (this.#down.has(to) || this.#down.has(from)) throw new NodeDownError(`${to} unreachable from ${from}`);
    const n = this.nodes.get(to);
    if (!n) throw new NodeDownError(`unknown node ${to}`);
    return n.cache;
  }

  #clientFor(from: string): PeerClient {
    const copy = (item: DistItem): DistItem => ({ ...item, value: Buffer.from(item.value) });
    return {
      set: async (to, item, replicate, check) => {
        await this.#target(from, to).handleSet(copy(item), replicate, check);
      },
      get: async (to, key) => {
        const item = this.#target(from, to).handleGet(key);
        return item === undefined ? undefined : copy(item);
      },
      remove: async (to, key, replicate, version, origin, check) => {
        await this.#target(from, to).handleRemove(key, replicate, version, origin, check);
      },
      isQuorumFailure: (err) => err instanceof QuorumFailedError,
      staleVersion: (err) => (err instanceof StaleVersionError ? err.current : undefined),
      isItemTooLarge: (err) => (err as { code?: unknown } | null)?.code === 'ITEM_TOO_LARGE',
    };
  }
}
