/**
 * Who owns which key (dist-protocol.md §3). {@link RingTopology} implements it; a node without
 * peers is a ring of one and owns every key itself (client-api.md §5.5).
 */
export interface KeyOwnership {
  /** This node's ID. */
  readonly nodeId: string;
  /** Ring owners of `key`, primary first. Pure computation: works for never-written keys. */
  ownersOf(key: string): readonly string[];
}
