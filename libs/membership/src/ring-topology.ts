import type { HashRing } from './hash-ring';
import type { MembershipTable } from './membership-table';
import type { KeyOwnership } from './key-ownership';

/**
 * {@link KeyOwnership} of a cluster node (dist-protocol.md §3): the local node ID plus a
 * swappable {@link HashRing}. Rings are immutable, so a rebuild is one reference swap and
 * in-flight lookups keep a consistent view. {@link follow} keeps the ring in step with a
 * {@link MembershipTable} (rebuilt from its non-dead members whenever that set changes).
 */
export class RingTopology implements KeyOwnership {
  #ring: HashRing;

  /**
   * @param nodeId this node's ID.
   * @param ring the initial ring (e.g. `new HashRing(hasher, table.ringMembers(), { replication: 3 })`).
   */
  constructor(
    readonly nodeId: string,
    ring: HashRing,
  ) {
    this.#ring = ring;
  }

  /** The current ring (for `/cluster/ring`, `/cluster/members` replication and vnode counts). */
  get ring(): HashRing {
    return this.#ring;
  }

  /** Ring owners of `key`, primary first; see {@link HashRing.ownersOf}. */
  ownersOf(key: string): readonly string[] {
    return this.#ring.ownersOf(key);
  }

  /** True when this node is among the owners of `key`. */
  isOwner(key: string): boolean {
    return this.#ring.ownersOf(key).includes(this.nodeId);
  }

  /** Swaps in `ring` (same hasher/options expected; built by the caller). */
  replaceRing(ring: HashRing): void {
    this.#ring = ring;
  }

  /**
   * Rebuilds the ring now and on every `table` change that alters {@link MembershipTable.ringMembers}
   * (alive ↔ suspect transitions keep the ring as is). Returns the unsubscribe function.
   */
  follow(table: MembershipTable): () => void {
    const sync = (): void => {
      const ids = table.ringMembers();
      if (!this.#ring.hasMembers(ids)) this.#ring = this.#ring.withMembers(ids);
    };
    sync();
    return table.onChange(sync);
  }
}
