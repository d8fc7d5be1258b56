import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { AuthPolicy } from '@hypercache/auth';
import { type AsyncHyperCache, CoarseClock, HyperCache } from '@hypercache/cache-engine';
import { advertisedApiUrl, type Clock, type ServerConfig } from '@hypercache/config';
import { loadXxhash64 } from '@hypercache/hashing';
import { createRootLogger, Telemetry } from '@hypercache/telemetry';
import { readApiTls, type ApiTlsMaterial } from './api-tls';
import { buildCluster, type ClusterParts } from './build-cluster';
import { ClusterEventsPublisher } from './cluster-events-publisher';
import { EventJournal } from './event-journal';
import { KeyChangeFeed } from './key-change-feed';
import { ClusterNodeCache } from './cluster-node-cache';
import { readDistTls, type DistTlsMaterial } from './dist-tls';
import { clientAuthPolicy, peerAuthPolicy } from './node-auth';
import type { NodeCache } from './node-cache';
import { engineFigures, NodeMetrics } from './node-metrics';
import { NodeState } from './node-state';
import type { PeerFaultSwitch } from './peer-faults';
import { TopologyReporter } from './topology-view';
import { clusterJoinCheck, type ReadinessCheck, type RedisPing } from './readiness';
import { buildRedisNode } from './build-redis-node';

/** Options of {@link buildNode} beyond the parsed config (tests inject these). */
export interface BuildNodeOptions {
  /** Root logger; default a pino logger on stderr at the configured level. */
  readonly log?: Logger;
  /** Wall clock, default a coarse `Date.now`. */
  readonly clock?: Clock;
  /** Test-only network isolation switch ({@link PeerFaultSwitch}); the production entry never passes one. */
  readonly peerFaults?: PeerFaultSwitch;
  /**
   * Tracer for the dist spans (tests pass one backed by an in-memory exporter). Default: the
   * OpenTelemetry SDK's when `OTEL_*` asks for export, else none (tracing off).
   */
  readonly tracer?: Tracer;
  /** Version reported by telemetry resources. */
  readonly version?: string;
}

/** One listener of the node, as the core starts and stops it (the apps are built by the server). */
export interface NodeListener {
  /** Binds; resolves with the bound port. Rejects (→ exit 1) when it cannot bind. */
  listen(): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, forces the rest after `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

/** The node's listeners; `dist` (the peer listener) only on a cluster member, `resp` when `HYPERCACHE_RESP_ADDR` is set. */
export interface NodeListeners {
  readonly clientApi: NodeListener;
  readonly management: NodeListener;
  readonly dist?: NodeListener;
  /** The RESP listener (issue 19): bound after the others, closed first on stop. */
  readonly resp?: NodeListener;
}

/** Bound ports; `dist` is 0 when the node binds no peer listener (over Redis); `resp` only when the RESP listener is on. */
export interface NodePorts {
  api: number;
  mgmt: number;
  dist: number;
  resp?: number;
}

/** What every node has, whatever its backend. */
export interface HyperNodeBase {
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly clock: Clock;
  /** The data seam the client API and management consume. */
  readonly data: NodeCache;
  /** Serving / draining (readiness, `503 DRAINING`). */
  readonly state: NodeState;
  /** The client API / management policy and the dist listener's peer policy. */
  readonly auth: { readonly client: AuthPolicy; readonly peer: AuthPolicy };
  /** TLS material, each read once (config.md A.2). */
  readonly tls: { readonly api: ApiTlsMaterial | undefined; readonly dist: DistTlsMaterial | undefined };
  readonly metrics: NodeMetrics;
  readonly telemetry: Telemetry;
  /** `/readyz` conditions of the backend: the seed join (memory) or Redis answering (redis). */
  readonly readiness: readonly ReadinessCheck[];
  /**
   * Starts the engine and the loops, builds the listeners with `open` (the apps), binds them, then
   * turns readiness on. Resolves with the bound ports.
   */
  start(open: () => Promise<NodeListeners>): Promise<NodePorts>;
  /** Graceful stop in the documented order, within `shutdownTimeoutMs`. Idempotent. */
  stop(): Promise<void>;
}

/** A member of the in-memory cluster (`HYPERCACHE_BACKEND=memory`, the default). */
export interface ClusterHyperNode extends HyperNodeBase {
  readonly backend: 'memory';
  readonly engine: HyperCache<Buffer>;
  readonly cluster: ClusterParts;
  /** The `/cluster/events` journal (management; its own sequence and buffer; cluster only). */
  readonly events: EventJournal;
  /** The `GET /v1/events` journal: this node's local key changes (issue 17; cluster only). */
  readonly keyEvents: EventJournal;
  /** `GET /v1/topology` (issue 17; cluster only). */
  readonly topologyReporter: TopologyReporter;
}

/** A stateless node over Redis or a Redis Cluster (`HYPERCACHE_BACKEND=redis|redis-cluster`, issue 15). */
export interface RedisHyperNode extends HyperNodeBase {
  readonly backend: 'redis' | 'redis-cluster';
  readonly engine: AsyncHyperCache<Buffer>;
  /** The backend's connection state and PING (readiness). */
  readonly redis: RedisPing;
}

/** A built node: every stateful singleton of the process, created once, and its lifecycle. */
export type HyperNode = ClusterHyperNode | RedisHyperNode;

/**
 * Bytes charged per cached item on top of its value and key (UTF-16 length): the engine's record
 * columns, index and eviction entries, the value's Buffer object and allocator slack. Measured: a
 * node process holding 500 000 items of 64-byte values grew its RSS by ≈ 620 bytes per item, of
 * which 64 are the value and 9 the key; with compact values ({@link COMPACT_VALUE_BYTES})
 * `npm run bench:memory` measures ≈ 250 bytes per item for 1 M such items, so the charge is
 * conservative (docs/operations.md "Capacity planning").
 */
export const ITEM_OVERHEAD_BYTES = 512;

/**
 * Values up to this many bytes are kept as compact one-byte strings instead of `Buffer` objects
 * (the engine's `compactValueBytes`): bench/memory measured a 64-byte value's cost falling from
 * ~600 to ~80 bytes of RSS. Larger values stay `Buffer`s (the object's cost is small next to them,
 * and a read of a compact value copies it).
 */
export const COMPACT_VALUE_BYTES = 4_096;

/** Events the `/cluster/events` journal keeps for resume: about 17 minutes of 1 s heartbeats. */
export const MANAGEMENT_EVENTS_BUFFER = 1_024;

/** The engine's sizer under a memory limit: value bytes + key length + {@link ITEM_OVERHEAD_BYTES} (what `HYPERCACHE_MAX_MEMORY` bounds). */
export const chargedItemBytes = (value: Buffer, key: string): number => value.length + key.length + ITEM_OVERHEAD_BYTES;

/**
 * Builds one node from its config. `HYPERCACHE_BACKEND=memory` (default): a cluster member
 * ({@link buildClusterNode}); `redis` / `redis-cluster`: a stateless node over Redis
 * ({@link buildRedisNode}: no SWIM, ring, anti-entropy, hints or peer listener). Nothing runs
 * until {@link HyperNode.start}. Throws (→ exit 1) on unreadable TLS files, malformed seeds or an
 * auth policy that cannot be built.
 */
export function buildNode(config: ServerConfig, o: BuildNodeOptions = {}): Promise<HyperNode> {
  return config.backend.kind === 'memory' ? buildClusterNode(config, o) : buildRedisNode(config, config.backend, o);
}

/**
 * A cluster member: engine, cluster (membership, ring, transport, distributed cache, SWIM,
 * anti-entropy, rebalancer, key browser, seed join), auth policies, telemetry and the data seam.
 */
async function buildClusterNode(config: ServerConfig, o: BuildNodeOptions): Promise<ClusterHyperNode> {
  const tls = { api: readApiTls(config), dist: readDistTls(config) };
  const log = o.log ?? createRootLogger({ nodeId: config.nodeId, level: config.logLevel });
  const clock = o.clock ?? new CoarseClock().now;
  const engine = new HyperCache<Buffer>({
    ...config.engine,
    nodeId: config.nodeId,
    now: clock,
    // The server expires items at write time + TTL on every node (dist-protocol.md §9).
    expiry: 'absolute',
    compactValueBytes: COMPACT_VALUE_BYTES,
    // HYPERCACHE_MAX_MEMORY (config.engine.maxCacheSizeBytes, cacheFullPolicy 'evict'): evict with
    // the algorithm until a write fits; an item larger than the whole limit is refused
    // (ITEM_TOO_LARGE → 413). Keys and per-item overhead are charged only under a limit; without
    // one `allocation` stays value bytes (upstream).
    ...(config.engine.maxCacheSizeBytes > 0 ? { sizeOf: chargedItemBytes } : {}),
  });
  const telemetry = Telemetry.create({ nodeId: config.nodeId, version: o.version ?? 'dev', tracer: o.tracer });
  try {
    const cluster = await buildCluster(config, { engine, now: clock, log, distTls: tls.dist, peerFaults: o.peerFaults });
    const auth = { client: await clientAuthPolicy(config, log, clock), peer: peerAuthPolicy(config, log) };
    const { dist, membership, topology, keyBrowser } = cluster;
    const state = new NodeState({ onDrainRequest: () => dist.metrics.Drains++ });
    const data = new ClusterNodeCache({ dist, keyBrowser, engine, topology, engineSettings: config.engine });
    const metrics = new NodeMetrics({ store: engineFigures(engine), cluster: { dist, membership, topology }, containerMemoryLimitBytes: config.memory.containerLimitBytes });
    const events = new EventJournal({ nodeId: config.nodeId, bufferEvents: MANAGEMENT_EVENTS_BUFFER, maxQueueBytes: config.events.queueBytes });
    const keyEvents = new EventJournal({ nodeId: config.nodeId, bufferEvents: config.events.bufferEvents, maxQueueBytes: config.events.queueBytes });
    const topologyReporter = new TopologyReporter({ membership, topology: cluster.topology, hasher: await loadXxhash64() });
    const ringVersion = () => topologyReporter.ringVersion();
    const feed = new KeyChangeFeed({ nodeId: config.nodeId, journal: keyEvents, dist, engine, heartbeatMs: config.events.heartbeatMs, ringVersion });
    // Gossip carries the API URL from the first round; a port-0 listener updates it once bound.
    if (config.listeners.api.port !== 0) membership.setLocalApiUrl(advertisedApiUrl(config));
    const publisher = new ClusterEventsPublisher({ journal: events, membership, topology, metrics: dist.metrics });
    const readiness = [clusterJoinCheck(cluster.join)];
    const parts = { backend: 'memory' as const, config, log, clock, data, state, engine, cluster, auth, tls, metrics, events, keyEvents, topologyReporter, telemetry, readiness };
    return { ...parts, ...lifecycle(parts, publisher, feed) };
  } catch (e) {
    await telemetry.shutdown();
    throw e;
  }
}

type NodeParts = Omit<ClusterHyperNode, 'start' | 'stop'>;

/**
 * The node's start and stop, each in one place and in order (deploy.md §2):
 * start: engine → cluster loops → seed join → telemetry → event feeds → build and bind listeners (RESP last) →
 * readiness on;
 * stop: readiness off + drain → end the event streams → RESP listener → client API (in-flight requests finish) → management → dist
 * listener (last: peers keep reading from a draining node) → loops → peer pools → engine →
 * telemetry. One deadline (`shutdownTimeoutMs`) covers the whole stop.
 */
function lifecycle(n: NodeParts, publisher: ClusterEventsPublisher, feed: KeyChangeFeed): Pick<ClusterHyperNode, 'start' | 'stop'> {
  const { cluster, engine, state, log } = n;
  let listeners: NodeListeners | undefined;
  let stopping: Promise<void> | undefined;
  const start = async (open: () => Promise<NodeListeners>) => {
    engine.start();
    cluster.dist.start();
    cluster.detector.start();
    cluster.rebalancer.start();
    cluster.antiEntropy.start();
    cluster.join.start();
    n.telemetry.observe(() => n.metrics.snapshot());
    publisher.start();
    feed.start();
    const l = (listeners = await open());
    const ports: NodePorts = { api: await l.clientApi.listen(), mgmt: await l.management.listen(), dist: (await l.dist?.listen()) ?? 0 };
    if (l.resp !== undefined) ports.resp = await l.resp.listen();
    if (n.config.listeners.api.port === 0) cluster.membership.setLocalApiUrl(advertisedApiUrl(n.config, ports.api));
    state.markServing();
    return ports;
  };
  const stop = () =>
    (stopping ??= (async () => {
      const deadline = Date.now() + n.config.shutdownTimeoutMs;
      const left = (reserveMs: number) => Math.max(100, deadline - Date.now() - reserveMs);
      state.markDraining();
      // Event streams end first (cleanly, with their last frames), so they hold no listener open.
      n.keyEvents.close();
      n.events.close();
      if (listeners !== undefined) {
        // RESP first: its clients get their pending replies, then the connection closes.
        if (listeners.resp !== undefined) await listeners.resp.close(Math.min(2_000, left(6_500)));
        await listeners.clientApi.close(left(4_500));
        await listeners.management.close(Math.min(2_000, left(2_500)));
        await listeners.dist?.close(Math.min(2_000, left(500)));
      }
      publisher.stop();
      feed.stop();
      cluster.antiEntropy.stop();
      cluster.rebalancer.stop();
      cluster.detector.stop();
      cluster.dist.stop();
      cluster.join.stop();
      await cluster.transport.close();
      await engine.stop();
      await n.telemetry.shutdown();
      log.debug({ component: 'core' }, 'node stopped');
    })());
  return { start, stop };
}
