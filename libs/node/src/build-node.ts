import type { Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { AuthPolicy } from '@hypercache/auth';
import { CoarseClock, HyperCache } from '@hypercache/cache-engine';
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
import { NodeMetrics } from './node-metrics';
import { NodeState } from './node-state';
import type { PeerFaultSwitch } from './peer-faults';
import { TopologyReporter } from './topology-view';

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

/** The node's three listeners. */
export interface NodeListeners {
  readonly clientApi: NodeListener;
  readonly management: NodeListener;
  readonly dist: NodeListener;
}

/** A built node: every stateful singleton of the process, created once, and its lifecycle. */
export interface HyperNode {
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly clock: Clock;
  /** The data seam the client API and management consume. */
  readonly data: NodeCache;
  /** Serving / draining (readiness, `503 DRAINING`). */
  readonly state: NodeState;
  readonly engine: HyperCache<Buffer>;
  readonly cluster: ClusterParts;
  /** The client API / management policy and the dist listener's peer policy. */
  readonly auth: { readonly client: AuthPolicy; readonly peer: AuthPolicy };
  /** TLS material, each read once (config.md A.2). */
  readonly tls: { readonly api: ApiTlsMaterial | undefined; readonly dist: DistTlsMaterial | undefined };
  readonly metrics: NodeMetrics;
  /** The `/cluster/events` journal (management; its own sequence and buffer). */
  readonly events: EventJournal;
  /** The `GET /v1/events` journal: this node's local key changes (issue 17). */
  readonly keyEvents: EventJournal;
  /** `GET /v1/topology` (issue 17). */
  readonly topologyReporter: TopologyReporter;
  readonly telemetry: Telemetry;
  /**
   * Starts the engine and the loops, builds the listeners with `open` (the apps), binds them, then
   * turns readiness on. Resolves with the bound ports.
   */
  start(open: () => Promise<NodeListeners>): Promise<{ api: number; mgmt: number; dist: number }>;
  /** Graceful stop in the documented order, within `shutdownTimeoutMs`. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Bytes charged per cached item on top of its value and key (UTF-16 length): the engine's record
 * columns, index and eviction entries, the value's Buffer object and allocator slack. Measured: a
 * node process holding 500 000 items of 64-byte values grows its RSS by ≈ 620 bytes per item, of
 * which 64 are the value and 9 the key (docs/operations.md "Capacity planning").
 */
export const ITEM_OVERHEAD_BYTES = 512;

/** Events the `/cluster/events` journal keeps for resume: about 17 minutes of 1 s heartbeats. */
export const MANAGEMENT_EVENTS_BUFFER = 1_024;

/** The engine's sizer under a memory limit: value bytes + key length + {@link ITEM_OVERHEAD_BYTES} (what `HYPERCACHE_MAX_MEMORY` bounds). */
export const chargedItemBytes = (value: Buffer, key: string): number => value.length + key.length + ITEM_OVERHEAD_BYTES;

/**
 * Builds one node from its config: engine, cluster (membership, ring, transport, distributed
 * cache, SWIM, anti-entropy, rebalancer, key browser, seed join), auth policies, telemetry and the
 * data seam. Nothing runs until {@link HyperNode.start}. Throws (→ exit 1) on unreadable TLS
 * files, malformed seeds or an auth policy that cannot be built.
 */
export async function buildNode(config: ServerConfig, o: BuildNodeOptions = {}): Promise<HyperNode> {
  const tls = { api: readApiTls(config), dist: readDistTls(config) };
  const log = o.log ?? createRootLogger({ nodeId: config.nodeId, level: config.logLevel });
  const clock = o.clock ?? new CoarseClock().now;
  const engine = new HyperCache<Buffer>({
    ...config.engine,
    nodeId: config.nodeId,
    now: clock,
    // The server expires items at write time + TTL on every node (dist-protocol.md §9).
    expiry: 'absolute',
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
    const metrics = new NodeMetrics({ engine, dist, membership, topology, containerMemoryLimitBytes: config.memory.containerLimitBytes });
    const events = new EventJournal({ nodeId: config.nodeId, bufferEvents: MANAGEMENT_EVENTS_BUFFER, maxQueueBytes: config.events.queueBytes });
    const keyEvents = new EventJournal({ nodeId: config.nodeId, bufferEvents: config.events.bufferEvents, maxQueueBytes: config.events.queueBytes });
    const topologyReporter = new TopologyReporter({ membership, topology: cluster.topology, hasher: await loadXxhash64() });
    const ringVersion = () => topologyReporter.ringVersion();
    const feed = new KeyChangeFeed({ nodeId: config.nodeId, journal: keyEvents, dist, engine, heartbeatMs: config.events.heartbeatMs, ringVersion });
    // Gossip carries the API URL from the first round; a port-0 listener updates it once bound.
    if (config.listeners.api.port !== 0) membership.setLocalApiUrl(advertisedApiUrl(config));
    const publisher = new ClusterEventsPublisher({ journal: events, membership, topology, metrics: dist.metrics });
    const parts = { config, log, clock, data, state, engine, cluster, auth, tls, metrics, events, keyEvents, topologyReporter, telemetry };
    return { ...parts, ...lifecycle(parts, publisher, feed) };
  } catch (e) {
    await telemetry.shutdown();
    throw e;
  }
}

type NodeParts = Omit<HyperNode, 'start' | 'stop'>;

/**
 * The node's start and stop, each in one place and in order (deploy.md §2):
 * start: engine → cluster loops → seed join → telemetry → event feeds → build and bind listeners →
 * readiness on;
 * stop: readiness off + drain → end the event streams → client API (in-flight requests finish) → management → dist
 * listener (last: peers keep reading from a draining node) → loops → peer pools → engine →
 * telemetry. One deadline (`shutdownTimeoutMs`) covers the whole stop.
 */
function lifecycle(n: NodeParts, publisher: ClusterEventsPublisher, feed: KeyChangeFeed): Pick<HyperNode, 'start' | 'stop'> {
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
    const ports = { api: await l.clientApi.listen(), mgmt: await l.management.listen(), dist: await l.dist.listen() };
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
        await listeners.clientApi.close(left(4_500));
        await listeners.management.close(Math.min(2_000, left(2_500)));
        await listeners.dist.close(Math.min(2_000, left(500)));
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
