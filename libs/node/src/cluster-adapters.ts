import type { AntiEntropy, AntiEntropyPeers, MembershipView, PeerClient, PeerKeyLister } from '@hypercache/distributed';
import type { MemberIdentity, MembershipTable, SwimTransport } from '@hypercache/membership';
import { PeerStatusError, type HttpPeerTransport, type PeerAddress } from '@hypercache/transport';

/**
 * The protocol rules that connect the libs, one named function each (what used to be inline
 * closures in the composition root). Each turns one lib's transport into what another lib needs.
 */

/** Resolves a member ID to its dist address through membership ('' when unknown: the call then fails as unreachable). */
export function memberAddress(membership: MembershipTable): (id: string) => PeerAddress {
  return (id) => ({ id, address: membership.get(id)?.address ?? '' });
}

/**
 * A direct SWIM probe: `GET /health` of the member. A `503` (the member is draining) counts as
 * alive: drain is a readiness signal, peer traffic continues (dist-protocol.md §13).
 */
export function probeCountingDrainingAsAlive(transport: HttpPeerTransport): SwimTransport['probe'] {
  return async (member, timeoutMs) => {
    try {
      await transport.health(member, { timeoutMs });
    } catch (e) {
      if (e instanceof PeerStatusError && e.status === 503) return;
      throw e;
    }
  };
}

/** The SWIM failure detector's transport over the HTTP peer transport (dist-protocol.md §18). */
export function swimTransport(transport: HttpPeerTransport): SwimTransport {
  return {
    probe: probeCountingDrainingAsAlive(transport),
    probeVia: (relay, targetId, timeoutMs) => transport.probeVia(relay, targetId, timeoutMs),
    gossip: (m, members) => transport.gossip(m, members),
  };
}

/** Anti-entropy's peer calls: Merkle tree and leaf entries over HTTP, item reads through the peer client. */
export function antiEntropyPeers(transport: HttpPeerTransport, selfId: string, addressOf: (id: string) => PeerAddress, peers: PeerClient): AntiEntropyPeers {
  return {
    tree: (peerId, buckets) => transport.merkleTree(addressOf(peerId), { peer: selfId, buckets }),
    entries: (peerId, buckets, idx) => transport.merkleEntries(addressOf(peerId), { peer: selfId, buckets }, idx),
    get: (peerId, key) => peers.get(peerId, key),
  };
}

/** The key browser's per-peer key listing (`GET /internal/keys`). */
export function peerKeyLister(transport: HttpPeerTransport, addressOf: (id: string) => PeerAddress): PeerKeyLister {
  return (peerId, q) => transport.keys(addressOf(peerId), q);
}

/** The readiness seed probe (`GET /readyz`): the seed's dist `GET /health`, as the transport judges it. */
export function seedProbe(transport: HttpPeerTransport): (seed: MemberIdentity, timeoutMs: number) => Promise<void> {
  return (seed, timeoutMs) => transport.health(seed, { timeoutMs });
}

/**
 * A node that refuted a suspicion, or sees a peer come back from dead/pruned, may have missed
 * writes and deletes: anti-entropy then syncs with every peer for a few ticks. Returns the
 * unsubscribe function.
 */
export function catchUpAfterRejoin(membership: MembershipTable, antiEntropy: AntiEntropy): () => void {
  return membership.onChange((c) => {
    const revived = c.kind === 'updated' && c.previous?.state === 'dead' && c.member.state !== 'dead';
    if (c.kind === 'refuted' || c.kind === 'added' || revived) antiEntropy.requestCatchUp();
  });
}

/**
 * The membership as the write path's quorum rules see it (docs/decisions.md F1). Every member ever
 * known (self, the seeds, every member the table held) counts towards the majority, also once it
 * is marked dead or pruned: a node cut off from the others must not see itself as the whole
 * cluster. Only members alive in this table count as reachable: a node that suspects a majority
 * refuses QUORUM/ALL writes at once. Counting suspects (also only briefly after they left the
 * alive state) still let a 2-node side acknowledge writes 5.4–6.6 s into the chaos split; the
 * price is a 503 QUORUM_UNAVAILABLE on a node that falsely suspects a majority at once.
 */
export function writeQuorumMembership(
  membership: MembershipTable,
  seeds: readonly MemberIdentity[],
  probe?: { transport: HttpPeerTransport; timeoutMs: number },
): MembershipView {
  const known = new Set<string>([...seeds.map((s) => s.id), ...membership.list().map((m) => m.id)]);
  membership.onChange((c) => known.add(c.member.id));
  // Asked on every QUORUM write: recounted only when the table's version moved (each state change
  // bumps it), not by sorting and filtering the member list per write.
  let aliveVersion = -1;
  let aliveCount = 0;
  return {
    knownCount: () => known.size,
    reachableCount: () => {
      if (membership.version !== aliveVersion) {
        aliveVersion = membership.version;
        aliveCount = membership.alive().length;
      }
      return aliveCount;
    },
    suspects: () => membership.list().filter((m) => m.state === 'suspect').map((m) => m.id),
    isReachable: (id) => membership.get(id)?.state === 'alive',
    ...(probe === undefined ? {} : { probe: confirmationProbe(membership, probe.transport, probe.timeoutMs) }),
  };
}

/** The write path's confirmation probe (WriteQuorum.confirm): the SWIM direct probe, as a boolean. */
function confirmationProbe(membership: MembershipTable, transport: HttpPeerTransport, timeoutMs: number): (id: string) => Promise<boolean> {
  const probe = probeCountingDrainingAsAlive(transport);
  return async (id) => {
    const m = membership.get(id);
    if (m === undefined) return false;
    try {
      await probe(m, timeoutMs);
      return true;
    } catch {
      return false;
    }
  };
}
