import { ownersByVnode, ringStartIndex } from '@hypercache/membership';
import { ProtocolError } from './errors';

/** A member as `GET /v1/topology` lists it. */
export interface TopologyMember {
  readonly id: string;
  readonly state: 'alive' | 'suspect' | 'dead';
  readonly incarnation: number;
  /** Base URL of the member's client API, `null` when it advertises none. */
  readonly apiUrl: string | null;
  /** Whether the member holds vnodes on the ring. */
  readonly owner: boolean;
}

/** The answer of `GET /v1/topology` (scope `read`). */
export interface Topology {
  /** The node that answered. */
  readonly node: string;
  /** Changes whenever the ring does. */
  readonly ringVersion: string;
  readonly replication: number;
  readonly virtualNodesPerNode: number;
  readonly members: readonly TopologyMember[];
  /** Vnodes ascending by hash: `hash` is an unsigned 64-bit decimal string. */
  readonly ring: ReadonlyArray<{ readonly hash: string; readonly node: string }>;
}

/** Checks the shape of a topology answer. @throws ProtocolError naming the bad field. */
export function parseTopology(raw: unknown, from: string): Topology {
  const t = raw as Partial<Topology> | null;
  const bad = (field: string): never => {
    throw new ProtocolError('PROTOCOL', `topology from ${from}: bad field ${field}`);
  };
  if (typeof t !== 'object' || t === null) return bad('(body)');
  if (typeof t.ringVersion !== 'string') bad('ringVersion');
  if (!Number.isInteger(t.replication) || (t.replication as number) < 1) bad('replication');
  if (!Array.isArray(t.members)) bad('members');
  if (!Array.isArray(t.ring)) bad('ring');
  for (const m of t.members!) if (typeof m?.id !== 'string' || (m.apiUrl !== null && typeof m.apiUrl !== 'string')) bad('members[]');
  for (const v of t.ring!) if (typeof v?.hash !== 'string' || typeof v.node !== 'string' || !/^\d+$/.test(v.hash)) bad('ring[]');
  return t as Topology;
}

/**
 * The ring of a {@link Topology} with the server's own owner function ({@link ownersByVnode},
 * dist-protocol.md §3): owners of a key hash are the first `min(RF, members)` distinct nodes
 * clockwise from the first vnode ≥ the hash. Keys are hashed by the caller (XXH64, seed 0).
 */
export class RingView {
  readonly #hashes: BigUint64Array;
  readonly #ownersAt: ReadonlyArray<readonly string[]>;

  constructor(readonly topology: Topology) {
    const n = topology.ring.length;
    this.#hashes = new BigUint64Array(n);
    const nodeOf = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      this.#hashes[i] = BigInt(topology.ring[i].hash);
      nodeOf[i] = topology.ring[i].node;
    }
    for (let i = 1; i < n; i++) {
      if (this.#hashes[i] < this.#hashes[i - 1]) throw new ProtocolError('PROTOCOL', `topology from ${topology.node}: ring not sorted at ${i}`);
    }
    this.#ownersAt = ownersByVnode(nodeOf, topology.replication);
  }

  /** Owners of the key whose XXH64 is `hash`, primary first; `[]` for an empty ring. */
  ownersOfHash(hash: bigint): readonly string[] {
    if (this.#hashes.length === 0) return [];
    return this.#ownersAt[ringStartIndex(this.#hashes, hash)];
  }
}
