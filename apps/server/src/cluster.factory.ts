import type { Logger } from 'pino';
import type { HyperCache } from '@hypercache/cache-engine';
import type { Clock, ServerConfig } from '@hypercache/config';
import { DistributedCache, EngineLocalStore, TransportPeerClient } from '@hypercache/distributed';
import { HashRing, loadXxhash64, MembershipTable, parseSeeds, RingTopology, SeedJoinTracker } from '@hypercache/membership';
import { Telemetry } from '@hypercache/telemetry';
import { HttpPeerTransport } from '@hypercache/transport';
import { readDistTls } from './dist-tls';

/** The cluster-facing singletons of one node, built once by the core. */
export interface ClusterParts {
  readonly membership: MembershipTable;
  readonly topology: RingTopology;
  readonly transport: HttpPeerTransport;
  readonly dist: DistributedCache;
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
  const transport = new HttpPeerTransport({
    token: config.authToken,
    timeoutMs: config.distTimeoutMs,
    compressionThresholdBytes: config.distCompressionThresholdBytes,
    batchMaxOps: config.distBatchMaxOps === 0 ? -1 : config.distBatchMaxOps,
    tls,
    now,
  });
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
  const join = new SeedJoinTracker({
    seeds: seeds.map(({ id, address }) => ({ id, address })),
    membership,
    probe: (seed, timeoutMs) => transport.health(seed, { timeoutMs }),
  });
  return { membership, topology, transport, dist, join };
}
