/**
 * Cluster-maintenance calls of the peer protocol (dist-protocol.md §11, §13, §14, §17.1), kept
 * apart from the data-path {@link PeerTransport}: failure detection (indirect probe, gossip) and
 * anti-entropy (Merkle trees and entries). `HttpPeerTransport` implements both.
 */
import type { PeerAddress } from './peer-address';

/**
 * One gossip entry `{id, address, state, incarnation}` as it travels (§14), plus the TS-only
 * optional `apiUrl` (the member's client API base URL, issue 17; upstream peers ignore it).
 */
export interface WireGossipMember {
  readonly id: string;
  readonly address: string;
  readonly state: string;
  readonly incarnation: number;
  readonly apiUrl?: string;
}

/** Query of a TS Merkle request: the tree over the keys both nodes own, bucketed by key hash. */
export interface MerkleQuery {
  /** Requesting node ID: the receiver keeps only keys it and this node both own (§11 TS MUST). */
  readonly peer: string;
  /** Number of leaves (hash buckets); both sides use the same. */
  readonly buckets: number;
}

/** `/internal/merkle` answer (§17.1), plus `buckets` on the TS per-peer variant. */
export interface MerkleTreeBody {
  readonly root: string | null;
  readonly leaf_hashes: string[] | null;
  readonly chunk_size: number;
  readonly buckets?: number;
}

/** One entry of `GET /internal/merkle/entries`: a key's version stamp, item or tombstone. */
export interface MerkleEntryBody {
  readonly key: string;
  readonly version: number;
  readonly origin: string;
  /** True when the peer holds a tombstone (a delete) for the key. */
  readonly tombstone: boolean;
}

export interface ControlTransport {
  /** `GET /internal/probe?target=` on `relay`; resolves on 200 (target reachable from the relay). */
  probeVia(relay: PeerAddress, targetId: string, timeoutMs?: number): Promise<void>;
  /** `POST /internal/gossip`; resolves with the receiver's member list (TS push-pull) or `[]`. */
  gossip(peer: PeerAddress, members: readonly WireGossipMember[]): Promise<WireGossipMember[]>;
  /** `GET /internal/merkle?peer=&buckets=` (TS per-peer tree). */
  merkleTree(peer: PeerAddress, q: MerkleQuery): Promise<MerkleTreeBody>;
  /** `GET /internal/merkle/entries?peer=&buckets=&bucket=i,j` — stamps in the listed buckets. */
  merkleEntries(peer: PeerAddress, q: MerkleQuery, buckets: readonly number[]): Promise<MerkleEntryBody[]>;
}
