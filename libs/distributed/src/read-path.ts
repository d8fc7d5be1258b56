import type { DistMetrics } from './dist-metrics';
import { ItemRefusedError } from './errors';
import type { DistItem } from './local-store';
import type { LocalReplica } from './local-replica';
import type { PeerClient } from './peer-client';
import { compareStamps, requiredAcks, type Consistency } from './version-order';
import type { WriteQuorum } from './write-quorum';

/** Collaborators of {@link ReadPath}. */
export interface ReadPathDeps {
  readonly nodeId: string;
  readonly replica: LocalReplica;
  readonly peers: PeerClient;
  /** Reachability marks and the try-reachable-first order (docs/decisions.md F5). */
  readonly quorum: WriteQuorum;
  readonly ownersOf: (key: string) => readonly string[];
  readonly metrics: DistMetrics;
  readonly readConsistency: Consistency;
  readonly now: () => number;
}

/**
 * Client reads (dist-protocol.md §7). ONE: the local copy if any, else owners in ring order with
 * read-repair when this node is an owner that lacked it. QUORUM/ALL: the newest of enough found
 * answers, repairing stale owners; too few answers is a miss.
 */
export class ReadPath {
  readonly #d: ReadPathDeps;

  constructor(deps: ReadPathDeps) {
    this.#d = deps;
  }

  /** Reads `key` at the configured consistency. */
  async read(key: string): Promise<DistItem | undefined> {
    if (this.#d.readConsistency === 'ONE') {
      const local = this.#d.replica.read(key);
      if (local !== undefined) return local;
      return this.#readOne(key);
    }
    return this.#readQuorum(key);
  }

  /** The local value when reads are ONE and this node holds a live copy (synchronous); else undefined. */
  localValue(key: string): Buffer | undefined {
    return this.#d.readConsistency === 'ONE' ? this.#d.replica.readValue(key) : undefined;
  }

  async #readOne(key: string): Promise<DistItem | undefined> {
    const d = this.#d;
    const owners = d.ownersOf(key);
    for (const id of d.quorum.reachableFirst(owners)) {
      if (id === d.nodeId) continue;
      let item: DistItem | undefined;
      try {
        d.metrics.ForwardGet++;
        item = await d.quorum.tracked(id, () => d.peers.get(id, key));
      } catch {
        continue;
      }
      if (item === undefined || isExpired(item, d.now())) continue;
      if (id !== owners[0]) d.metrics.ReadPrimaryPromote++;
      if (owners.includes(d.nodeId) && this.#repairLocal(item)) d.metrics.ReadRepair++;
      return item;
    }
    return undefined;
  }

  async #readQuorum(key: string): Promise<DistItem | undefined> {
    const d = this.#d;
    const owners = d.ownersOf(key);
    const needed = requiredAcks(owners.length, d.readConsistency);
    const now = d.now();
    const answers = await Promise.all(
      owners.map(async (id): Promise<DistItem | undefined | null> => {
        if (id === d.nodeId) return d.replica.read(key);
        try {
          d.metrics.ForwardGet++;
          const item = await d.peers.get(id, key);
          return item !== undefined && isExpired(item, now) ? undefined : item;
        } catch {
          return null; // unreachable: neither an ack nor a repair target
        }
      }),
    );
    let newest: DistItem | undefined;
    let acks = 0;
    for (const a of answers) {
      if (a == null) continue;
      acks++;
      if (newest === undefined || compareStamps(a, newest) > 0) newest = a;
    }
    if (newest === undefined || acks < needed) return undefined;
    const chosen = newest;
    await Promise.all(
      owners.map(async (id, i) => {
        const seen = answers[i];
        if (seen === null || (seen !== undefined && compareStamps(chosen, seen) <= 0)) return;
        d.metrics.ReadRepair++;
        if (id === d.nodeId) this.#repairLocal(chosen);
        else await d.peers.set(id, chosen, false).catch(() => undefined);
      }),
    );
    return chosen;
  }

  /**
   * Read-repair of the local copy. An item above this node's memory limit (owners configured with
   * different `HYPERCACHE_MAX_MEMORY`) is not repaired, but the read still returns it.
   */
  #repairLocal(item: DistItem): boolean {
    try {
      return this.#d.replica.applyIfNewer(item);
    } catch (e) {
      if ((e as { code?: unknown }).code === ItemRefusedError.WIRE_CODE) return false;
      throw e;
    }
  }
}

/** True when `item` carries an absolute expiry that has passed. */
export function isExpired(item: DistItem, nowMs: number): boolean {
  return item.expiresAtMs !== 0 && nowMs > item.expiresAtMs;
}
