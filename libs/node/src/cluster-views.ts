import type { DistMetrics } from '@hypercache/distributed';
import type { MemberSnapshot, MembershipTable, RingTopology } from '@hypercache/membership';

/** `GET /cluster/members` (management-api.md §6): top-level camelCase, members PascalCase. */
export interface MembersView {
  readonly replication: number;
  readonly virtualNodes: number;
  readonly members: MemberSnapshot[];
}

/** `GET /cluster/heartbeat` (management-api.md §2): camelCase counters. */
export interface HeartbeatView {
  readonly heartbeatSuccess: number;
  readonly heartbeatFailure: number;
  readonly nodesRemoved: number;
  readonly readPrimaryPromote: number;
}

/** The membership view, the local node included. */
export function membersView(topology: RingTopology, membership: MembershipTable): MembersView {
  return { replication: topology.ring.replication, virtualNodes: topology.ring.virtualNodes, members: membership.snapshot() };
}

/** The heartbeat counters view. */
export function heartbeatView(m: DistMetrics): HeartbeatView {
  return {
    heartbeatSuccess: m.HeartbeatSuccess,
    heartbeatFailure: m.HeartbeatFailure,
    nodesRemoved: m.NodesRemoved,
    readPrimaryPromote: m.ReadPrimaryPromote,
  };
}
