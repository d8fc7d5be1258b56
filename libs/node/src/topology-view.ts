import { formatHash64, type Xxhash64 } from '@hypercache/hashing';
import type { HashRing, MembershipTable, MemberState, RingTopology } from '@hypercache/membership';

/** One member in `GET /v1/topology` (issue 17). */
export interface TopologyMemberView {
  readonly id: string;
  readonly state: MemberState;
  readonly incarnation: number;
  /** Base URL of the member's client API (`http(s)://host:port`), `null` when it never advertised one. */
  readonly apiUrl: string | null;
  /** True when the member is on this node's ring (alive or suspect). */
  readonly owner: boolean;
}

/** One ring point: a virtual node's XXH64 position as an unsigned 64-bit decimal string, and its member. */
export interface TopologyRingPoint {
  readonly hash: string;
  readonly node: string;
}

/** The `GET /v1/topology` body (issue 17, docs/decisions.md T1–T3). */
export interface TopologyView {
  /** The answering node's ID. */
  readonly node: string;
  /** Opaque; equal on nodes with the same ring members and settings, changes when they change. */
  readonly ringVersion: string;
  /** Replication factor RF of the ring. */
  readonly replication: number;
  readonly virtualNodesPerNode: number;
  /** Every member this node knows (dead ones included), sorted by ID. */
  readonly members: readonly TopologyMemberView[];
  /** Every virtual node of the ring, ascending by hash: exactly the server's `HashRing` points. */
  readonly ring: readonly TopologyRingPoint[];
}

interface RingSummary {
  readonly ringVersion: string;
  readonly owners: ReadonlySet<string>;
  readonly points: readonly TopologyRingPoint[];
}

/**
 * Builds the `GET /v1/topology` view from the membership table and the current ring. The ring part
 * (points and version) is computed once per ring instance (rings are immutable and swapped on
 * change), so a request costs one walk over the members.
 *
 * `ringVersion` = XXH64 (16 lowercase hex digits) of `v<virtualNodes>/r<replication>` followed by
 * the sorted ring member IDs, each after a `\n` (IDs never contain whitespace): two nodes with the
 * same ring members and settings report the same version; any member joining or leaving the ring
 * changes it (docs/decisions.md T2).
 */
export class TopologyReporter {
  readonly #summaries = new WeakMap<HashRing, RingSummary>();

  constructor(
    private readonly deps: { readonly membership: MembershipTable; readonly topology: RingTopology; readonly hasher: Xxhash64 },
  ) {}

  /** The current view, from this node's perspective. */
  view(): TopologyView {
    const { membership, topology } = this.deps;
    const ring = topology.ring;
    const summary = this.#summary(ring);
    const members = membership.list().map((m) => ({
      id: m.id,
      state: m.state,
      incarnation: m.incarnation,
      apiUrl: m.apiUrl ?? null,
      owner: summary.owners.has(m.id),
    }));
    return {
      node: topology.nodeId,
      ringVersion: summary.ringVersion,
      replication: ring.replication,
      virtualNodesPerNode: ring.virtualNodes,
      members,
      ring: summary.points,
    };
  }

  /** The ring version of the current ring (see the class comment). */
  ringVersion(): string {
    return this.#summary(this.deps.topology.ring).ringVersion;
  }

  #summary(ring: HashRing): RingSummary {
    let s = this.#summaries.get(ring);
    if (s === undefined) {
      s = {
        ringVersion: ringVersionOf(this.deps.hasher, ring),
        owners: new Set(ring.members),
        points: Object.freeze(ring.vnodes().map((v) => Object.freeze({ hash: v.hash.toString(10), node: v.nodeId }))),
      };
      this.#summaries.set(ring, s);
    }
    return s;
  }
}

/** XXH64 of the ring's settings and sorted member IDs, 16 hex digits (docs/decisions.md T2). */
export function ringVersionOf(hasher: Xxhash64, ring: HashRing): string {
  const text = `v${ring.virtualNodes}/r${ring.replication}` + ring.members.map((id) => `\n${id}`).join('');
  return formatHash64(hasher.hashString(text));
}
