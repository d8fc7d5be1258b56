import type { Logger } from 'pino';
import type { HyperCache } from '@hypercache/cache-engine';
import type { Clock, ServerConfig } from '@hypercache/config';
import { AntiEntropy, DistributedCache, EngineLocalStore, KeyBrowser, Rebalancer, TransportPeerClient } from '@hypercache/distributed';
import { loadXxhash64 } from '@hypercache/hashing';
import { FailureDetector, HashRing, MembershipTable, parseSeeds, RingTopology, SeedJoinTracker } from '@hypercache/membership';
import { HttpPeerTransport, peerBodyLimitBytes } from '@hypercache/transport';
import { antiEntropyPeers, catchUpAfterRejoin, memberAddress, peerKeyLister, seedProbe, swimTransport, writeQuorumMembership } from './cluster-adapters';
import type { DistTlsMaterial } from './dist-tls';
import { isolatable, type PeerFaultSwitch } from './peer-faults';

/** The cluster-facing singletons of one node, built once by {@link buildCluster}. */
export interface ClusterParts {
  readonly membership: MembershipTable;
  readonly topology: RingTopology;
  readonly transport: HttpPeerTransport;
  readonly dist: DistributedCache;
  /** SWIM heartbeat + gossip (issue 5). */
  readonly detector: FailureDetector;
  /** Merkle anti-entropy (pull, per-peer trees over shared ownership). */
  readonly antiEntropy: AntiEntropy;
  readonly rebalancer: Rebalancer;
  /** `GET /v1/cache/keys` fan-out. */
  readonly keyBrowser: KeyBrowser;
  /** Readiness: has this node reached one of its seeds yet (`GET /readyz`). */
  readonly join: SeedJoinTracker;
  /**
   * Cap on a peer body in either direction (the dist listener's body limit, the peer client's
   * response limit): every value the client API accepts (`HYPERCACHE_MAX_BODY_BYTES`, keys up to
   * `HYPERCACHE_MAX_KEY_LENGTH`) fits in one peer message (docs/decisions.md D18).
   */
  readonly peerBodyLimitBytes: number;
}

/** Inputs of {@link buildCluster} besides the config. */
export interface ClusterInputs {
  readonly engine: HyperCache<Buffer>;
  readonly now: Clock;
  readonly log: Logger;
  /** Dist TLS material, read once by the node (listener and peer client share it). */
  readonly distTls: DistTlsMaterial | undefined;
  /** Test-only isolation switch; wraps the peer transport only when a test passes one. */
  readonly peerFaults?: PeerFaultSwitch;
}

/**
 * Builds membership (self + seeds), the ring, the HTTP peer transport, the distributed cache and
 * its background parts from the config. Throws (→ exit 1) on malformed seeds.
 */
export async function buildCluster(config: ServerConfig, { engine, now, log, distTls, peerFaults }: ClusterInputs): Promise<ClusterParts> {
  const hasher = await loadXxhash64();
  const self = { id: config.nodeId, address: config.listeners.dist.text };
  const seeds = parseSeeds(config.seeds, self, hasher);
  for (const s of seeds.filter((x) => x.idDerived)) {
    log.warn({ component: 'membership', seed: s.address, derived_id: s.id }, 'seed without node id; use id@host:port so rings agree');
  }
  const seedIdentities = seeds.map(({ id, address }) => ({ id, address }));
  const membership = new MembershipTable({ self, seeds: seedIdentities, now });
  const ring = new HashRing(hasher, membership.ringMembers(), config.ring);
  const topology = new RingTopology(config.nodeId, ring);
  topology.follow(membership);
  const peerBodyLimit = peerBodyLimitBytes({ maxValueBytes: config.clientApi.maxBodyBytes, maxKeyLength: config.clientApi.maxKeyLength });
  // A peer's answer may carry any value the client API accepts (GET /internal/get, base64).
  const http = new HttpPeerTransport({ ...config.transport, responseLimitBytes: peerBodyLimit, token: config.auth.token, tls: distTls, now });
  const transport = peerFaults === undefined ? http : isolatable(http, peerFaults);
  const addressOf = memberAddress(membership);
  const peers = new TransportPeerClient(transport, (id) => membership.get(id)?.address);
  const backgroundError = (err: unknown, what: string) => log.debug({ component: 'dist', err, what }, 'background task failed');
  const dist = new DistributedCache(
    {
      nodeId: config.nodeId,
      store: new EngineLocalStore(engine),
      ownership: () => topology,
      peers,
      clock: engine.clock,
      now,
      // A write that finds no majority probes the suspects once before refusing (F1), within the
      // failure detector's own probe timeout (half a heartbeat).
      membership: writeQuorumMembership(membership, seedIdentities, { transport, timeoutMs: Math.max(1, Math.floor(config.swim.heartbeatIntervalMs / 2)) }),
      onBackgroundError: backgroundError,
      onIsolationDrop: (d) =>
        log.warn(
          { component: 'dist', isolated_ms: d.isolatedMs, items: d.items, tombstones: d.tombstones, hints: d.hints },
          'no majority for longer than half the tombstone ttl: dropped local data (docs/decisions.md D19)',
        ),
    },
    // A suspect that answered one of this node's calls within 3 heartbeats still counts as
    // reachable for the majority rule (F1): no write refusals on a false suspicion under load.
    // A forward carries a 250 ms deadline and is hedged to the next owner 100 ms after it (F10).
    { ...config.dist, reachEvidenceMs: 3 * config.swim.heartbeatIntervalMs, forwardHedgeMs: 250 },
  );
  const mlog = log.child({ component: 'membership' });
  const detector = new FailureDetector(
    { table: membership, transport: swimTransport(transport), metrics: dist.metrics, seeds: seedIdentities, log: (level, fields, msg) => mlog[level](fields, msg) },
    config.swim,
  );
  const antiEntropy = new AntiEntropy(
    {
      nodeId: config.nodeId,
      dist,
      ownership: () => topology,
      peers: antiEntropyPeers(transport, config.nodeId, addressOf, peers),
      syncPeers: () => membership.alive().map((m) => m.id),
      metrics: dist.metrics,
      onError: backgroundError,
    },
    config.antiEntropy,
  );
  catchUpAfterRejoin(membership, antiEntropy);
  const rebalancer = new Rebalancer(
    { nodeId: config.nodeId, dist, ring: () => topology.ring, peers, now, metrics: dist.metrics, onError: backgroundError },
    config.rebalancer,
  );
  const keyBrowser = new KeyBrowser({
    nodeId: config.nodeId,
    localKeys: () => dist.localKeys(),
    aliveMembers: () => membership.alive().map((m) => m.id),
    listPeerKeys: peerKeyLister(transport, addressOf),
  });
  const join = new SeedJoinTracker({ seeds: seedIdentities, membership, probe: seedProbe(transport) });
  return { membership, topology, transport, dist, detector, antiEntropy, rebalancer, keyBrowser, join, peerBodyLimitBytes: peerBodyLimit };
}
