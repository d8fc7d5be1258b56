// Leaf module (no imports): the peer's address and the operation names, shared by the errors,
// the wire and the transports without an import circle.

/**
 * A cluster member as the transport sees it (dist-protocol.md §1): `id` is the node ID (used in
 * errors and by fault injection), `address` is `host:port` of the member's dist listener — what
 * is dialled (bind address == advertised address). IPv6 hosts are bracketed: `[::1]:7946`.
 */
export type PeerAddress = { readonly id: string; readonly address: string };

/** The peer operations (closed set), named in errors and fault-injection stats. */
export const PeerOp = {
  Set: 'set',
  Get: 'get',
  Remove: 'remove',
  Health: 'health',
  Keys: 'keys',
  /** `POST /internal/batch`: many set/remove operations in one call (docs/decisions.md D16). */
  Batch: 'batch',
  Probe: 'probe',
  Gossip: 'gossip',
  Merkle: 'merkle',
} as const;

/** One of {@link PeerOp}. */
export type PeerOp = (typeof PeerOp)[keyof typeof PeerOp];
