import type { Logger } from 'pino';
import type { HyperCache } from '@hypercache/cache-engine';
import type { Clock, ServerConfig } from '@hypercache/config';
import { AntiEntropy, DistributedCache, EngineLocalStore, KeyBrowser, Rebalancer, TransportPeerClient } from '@hypercache/distributed';
import { FailureDetector, HashRing, loadXxhash64, MembershipTable, parseSeeds, RingTopology, SeedJoinTracker, type SwimTransport } from '@hypercache/membership';
import { HttpPeerTransport, PeerStatusError, peerBodyLimitBytes } from '@hypercache/transport';
import { Telemetry } from '@hypercache/telemetry';
import { readDistTls } from './dist-tls';
import { isolatable, type PeerFaultSwitch } from '../../dist-gateway/src/peer-faults';

/**
 * Cap on a peer body in either direction for this node's settings: every value the client API
 * accepts (`HYPERCACHE_MAX_BODY_BYTES`, keys up to `HYPERCACHE_MAX_KEY_LENGTH`) fits in one peer
 * message (docs/decisions.md D18).
 */
export function peerBodyLimitOf(config: Pick<ServerConfig, 'maxBodyBytes' | 'maxKeyLength'>): number {
  return peerBodyLimitBytes({ maxValueBytes: config.maxBodyBytes, maxKeyLength: config.maxKeyLength });
}

/** The cluster-facing singletons of one node, built once by the core. */
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
}

/**
 * Builds membership (self + seeds), the ring, the HTTP peer transport and the distributed cache
 * from the config. Throws (→ exit 1) on malformed seeds or unreadable TLS files.
 */
export async function buildCluster(
  config: ServerConfig,
  engine: HyperCache<Buffer>,
  now: Clock,
  log: Logger,
  peerFaults?: PeerFaultSwitch,
  telemetry?: Telemetry,
): Promise<ClusterParts> {
  const hasher = await loadXxhash64();
  const self = { id: config.nodeId, address: config.distAddr.text };
  const seeds = parseSeeds(config.seeds, self, hasher);
  for (const s of seeds.filter((x) => x.idDerived)) {
    log.warn({ component: 'membership', seed: s.address, derived_id: s.id }, 'seed without node id; use id@host:port so rings agree');
  }
  const membership = new MembershipTable({ self, seeds: seeds.map(({ id, address }) => ({ id, address })), now });
  const ring = new HashRing(hasher, membership.ringMembers(), { replication: config.replication, virtualNodes: config.virtualNodes });
  const topology = new RingTopology(config.nodeId, ring);
  topology.follow(membership);
  const tls = readDistTls(config);
  const http = new HttpPeerTransport({
    token: config.authToken,
    timeoutMs: config.distTimeoutMs,
    // A peer's answer may carry any value the client API accepts (GET /internal/get, base64).
    responseLimitBytes: peerBodyLimitOf(config),
    compressionThresholdBytes: config.distCompressionThresholdBytes,
    batchMaxOps: config.distBatchMaxOps === 0 ? -1 : config.distBatchMaxOps,
    tls,
    now,
  });
  // The test-only isolation switch wraps the transport only when a test passed one (peer-faults.ts).
  const transport = peerFaults === undefined ? http : isolatable(http, peerFaults);
  const plainPeers = new TransportPeerClient(transport, (id) => membership.get(id)?.address);
  // Tracing (only when enabled) wraps the peer client and the dist cache; otherwise both stay as built.
  const peers = telemetry ? telemetry.instrumentPeers(plainPeers) : plainPeers;
  const dist = new DistributedCache(
    {
      nodeId: config.nodeId,
      store: new EngineLocalStore(engine),
      ownership: () => topology,
      peers,
      clock: engine.clock,
      now,
      onBackgroundError: (err, what) => log.debug({ component: 'dist', err, what }, 'background task failed'),
    },
    {
      readConsistency: config.readConsistency,
      writeConsistency: config.writeConsistency,
      hintTtlMs: config.hintTtlMs,
      hintReplayIntervalMs: config.hintReplayMs,
      hintMaxPerNode: config.hintMaxPerNode,
      hintMaxTotal: config.hintMaxTotal,
      hintMaxBytes: config.hintMaxBytes,
      tombstoneTtlMs: config.tombstoneTtlMs,
      tombstoneSweepIntervalMs: config.tombstoneSweepMs,
    },
  );
  telemetry?.instrumentDist(dist);
  const addressed = (id: string) => ({ id, address: membership.get(id)?.address ?? '' });
  const swim: SwimTransport = {
    probe: async (m, timeoutMs) => {
      try {
        await transport.health(m, { timeoutMs });
      } catch (e) {
        // A draining node is alive: drain is a readiness signal, peer traffic continues (§13).
        if (e instanceof PeerStatusError && e.status === 503) return;
        throw e;
      }
    },
    probeVia: (relay, targetId, timeoutMs) => transport.probeVia(relay, targetId, timeoutMs),
    gossip: (m, members) => transport.gossip(m, members),
  };
  const mlog = log.child({ component: 'membership' });
  const detector = new FailureDetector(
    {
      table: membership,
      transport: swim,
      metrics: dist.metrics,
      seeds: seeds.map(({ id, address }) => ({ id, address })),
      log: (level, fields, msg) => mlog[level](fields, msg),
    },
    { heartbeatIntervalMs: config.heartbeatMs, indirectProbeK: config.indirectProbeK, gossipIntervalMs: config.gossipIntervalMs },
  );
  const antiEntropy = new AntiEntropy(
    {
      nodeId: config.nodeId,
      dist,
      ownership: () => topology,
      peers: {
        tree: (peerId, buckets) => transport.merkleTree(addressed(peerId), { peer: config.nodeId, buckets }),
        entries: (peerId, buckets, idx) => transport.merkleEntries(addressed(peerId), { peer: config.nodeId, buckets }, idx),
        get: (peerId, key) => peers.get(peerId, key),
      },
      syncPeers: () => membership.alive().map((m) => m.id),
      metrics: dist.metrics,
      onError: (err, what) => log.debug({ component: 'dist', err, what }, 'background task failed'),
    },
    { intervalMs: config.merkleSyncIntervalMs, peersPerTick: config.merkleSyncPeers, chunkSize: config.merkleChunkSize },
  );
  // A node that refuted a suspicion, or sees a peer come back from dead/pruned, may have missed
  // writes and deletes: sync with every peer for a few ticks.
  membership.onChange((c) => {
    const revived = c.kind === 'updated' && c.previous?.state === 'dead' && c.member.state !== 'dead';
    if (c.kind === 'refuted' || c.kind === 'added' || revived) antiEntropy.requestCatchUp();
  });
  const rebalancer = new Rebalancer(
    {
      nodeId: config.nodeId,
      dist,
      ring: () => topology.ring,
      peers,
      now,
      metrics: dist.metrics,
      onError: (err, what) => log.debug({ component: 'dist', err, what }, 'background task failed'),
    },
    { intervalMs: config.rebalanceIntervalMs },
  );
  const keyBrowser = new KeyBrowser({
    nodeId: config.nodeId,
    localKeys: () => dist.localKeys(),
    aliveMembers: () => membership.alive().map((m) => m.id),
    listPeerKeys: (peerId, q) => transport.keys(addressed(peerId), q),
  });
  const join = new SeedJoinTracker({
    seeds: seeds.map(({ id, address }) => ({ id, address })),
    membership,
    probe: (seed, timeoutMs) => transport.health(seed, { timeoutMs }),
  });
  return { membership, topology, transport, dist, detector, antiEntropy, rebalancer, keyBrowser, join };
}
