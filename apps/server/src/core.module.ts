import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuthPolicy, buildClientAuthPolicy, CLIENT_AUTHENTICATOR, PEER_AUTHENTICATOR } from '@hypercache/auth';
import { CoarseClock, HyperCache } from '@hypercache/cache-engine';
import { CLOCK, SERVER_CONFIG, type Clock, type ServerConfig } from '@hypercache/config';
import { AntiEntropy, DistributedCache, KeyBrowser } from '@hypercache/distributed';
import { FailureDetector, KEY_OWNERSHIP, MembershipTable, NodeState, SeedJoinTracker } from '@hypercache/membership';
import type { PeerFaultSwitch } from '../../dist-gateway/src/peer-faults';
import { buildCluster, type ClusterParts } from './cluster.factory';

/** DI token of the node's {@link ClusterParts}. */
export const CLUSTER = Symbol('CLUSTER');
import { ClusterEventBus, ClusterEventsPublisher, NodeMetrics, ROOT_LOGGER, TELEMETRY, Telemetry } from '@hypercache/telemetry';

/**
 * Bytes charged per cached item on top of its value and key (UTF-16 length): the engine's record
 * columns, index and eviction entries, the value's Buffer object and allocator slack. Measured: a
 * node process holding 500 000 items of 64-byte values grows its RSS by ≈ 620 bytes per item, of
 * which 64 are the value and 9 the key (docs/operations.md "Capacity planning").
 */
export const ITEM_OVERHEAD_BYTES = 512;

/** The engine's sizer under a memory limit: value bytes + key length + {@link ITEM_OVERHEAD_BYTES} (what `HYPERCACHE_MAX_MEMORY` bounds). */
export const chargedItemBytes = (value: Buffer, key: string): number => value.length + key.length + ITEM_OVERHEAD_BYTES;

/** Starts the engine's loops once when the core boots and stops them (and the backend) once. */
@Injectable()
export class EngineLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly cache: HyperCache<Buffer>,
    @Inject(ROOT_LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.cache.start();
    this.log.debug({ component: 'core' }, 'engine started');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cache.stop();
    this.log.debug({ component: 'core' }, 'engine stopped');
  }
}

/** Starts the distributed cache's loops once and stops them (and the peer pools) once. */
@Injectable()
export class ClusterLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CLUSTER) private readonly cluster: ClusterParts) {}

  onApplicationBootstrap(): void {
    this.cluster.dist.start();
    this.cluster.detector.start();
    this.cluster.rebalancer.start();
    this.cluster.antiEntropy.start();
    this.cluster.join.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.cluster.antiEntropy.stop();
    this.cluster.rebalancer.stop();
    this.cluster.detector.stop();
    this.cluster.dist.stop();
    this.cluster.join.stop();
    await this.cluster.transport.close();
  }
}

/**
 * Telemetry lifecycle: registers the node's instruments once, runs the `/cluster/events`
 * publisher, and flushes exporters when the core stops.
 */
@Injectable()
export class TelemetryLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #publisher: ClusterEventsPublisher;

  constructor(
    @Inject(TELEMETRY) private readonly telemetry: Telemetry,
    private readonly metrics: NodeMetrics,
    private readonly bus: ClusterEventBus,
    @Inject(CLUSTER) cluster: ClusterParts,
  ) {
    this.#publisher = new ClusterEventsPublisher({ bus, membership: cluster.membership, topology: cluster.topology, metrics: cluster.dist.metrics });
  }

  onApplicationBootstrap(): void {
    this.telemetry.observe(this.metrics);
    this.#publisher.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.#publisher.stop();
    this.bus.close();
    await this.telemetry.shutdown();
  }
}

/**
 * The tokens the core shares with the three apps. The bridge module re-provides exactly these,
 * so every app holds the same instances (one engine, one auth policy, one node state).
 */
export const SHARED_TOKENS = [
  SERVER_CONFIG,
  ROOT_LOGGER,
  CLOCK,
  HyperCache,
  KEY_OWNERSHIP,
  NodeState,
  CLIENT_AUTHENTICATOR,
  PEER_AUTHENTICATOR,
  CLUSTER,
  DistributedCache,
  MembershipTable,
  FailureDetector,
  AntiEntropy,
  KeyBrowser,
  SeedJoinTracker,
  TELEMETRY,
  NodeMetrics,
  ClusterEventBus,
] as const;

/**
 * Builds the one client API / management policy (auth.md §2; policy file, OIDC discovery) and
 * logs how it came about. Any problem rejects, and the node does not start (fail closed).
 */
async function clientAuthPolicy(config: ServerConfig, log: Logger, now: Clock): Promise<AuthPolicy> {
  const built = await buildClientAuthPolicy({
    authConfigPath: config.authConfigPath,
    authToken: config.authToken,
    oidc: config.oidc && { ...config.oidc, now },
  });
  const fields = { component: 'auth', source: built.source, oidc: built.oidc, anonymous: built.anonymous, mtls: config.apiTls?.clientCaFile !== undefined };
  if (built.source === 'none' && !built.oidc) {
    log.warn(fields, 'running with no client API auth configured: anonymous mode, every request has all scopes');
  } else if (built.anonymous) {
    log.warn(fields, 'auth policy allows anonymous access: unauthenticated requests have all scopes');
  } else {
    log.info(fields, 'client API auth configured');
  }
  return built.policy;
}

/**
 * The dist listener's policy (auth.md §2, dist-protocol.md §17.4): the peer token
 * `HYPERCACHE_AUTH_TOKEN` whenever set, independent of the client policy. Upstream trap: with
 * client auth configured (policy file or OIDC) but no peer token, the dist listener would be
 * open. TS: it then admits nobody (every peer request 401) and the boot log says why — unless the
 * peers authenticate each other with mutual TLS (`HYPERCACHE_DIST_TLS_CA`).
 */
function peerAuthPolicy(config: ServerConfig, log: Logger): AuthPolicy {
  if (config.authToken !== undefined) return AuthPolicy.singleToken(config.authToken, 'peer');
  const clientAuth = config.authConfigPath !== undefined || config.oidc !== undefined;
  if (!clientAuth || config.distTls?.caFile !== undefined) return AuthPolicy.singleToken(undefined);
  log.error(
    { component: 'auth' },
    'client API auth is configured but HYPERCACHE_AUTH_TOKEN (the peer token) is not: the dist listener rejects every peer request; set HYPERCACHE_AUTH_TOKEN on every node (or HYPERCACHE_DIST_TLS_CA for mutual TLS between peers)',
  );
  return new AuthPolicy({});
}

/** Owns every stateful singleton of the process (ARCHITECTURE.md "One process, one core"). */
@Module({})
export class CoreModule {
  static forRoot(
    config: ServerConfig,
    log: Logger,
    clock: Clock = new CoarseClock().now,
    peerFaults?: PeerFaultSwitch,
    telemetry?: Telemetry,
  ): DynamicModule {
    const tel = telemetry ?? Telemetry.create({ nodeId: config.nodeId, version: 'dev' });
    return {
      module: CoreModule,
      providers: [
        { provide: SERVER_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: log },
        { provide: CLOCK, useValue: clock },
        {
          provide: HyperCache,
          inject: [CLOCK],
          useFactory: (now: Clock) =>
            new HyperCache<Buffer>({
              nodeId: config.nodeId,
              now,
              capacity: config.capacity,
              // HYPERCACHE_MAX_MEMORY: evict with the algorithm until a write fits; an item larger
              // than the whole limit is refused (ITEM_TOO_LARGE → 413). Keys and per-item overhead
              // are charged only under a limit; without one `allocation` stays value bytes (upstream).
              maxCacheSizeBytes: config.maxMemoryBytes,
              cacheFullPolicy: 'evict',
              ...(config.maxMemoryBytes > 0 ? { sizeOf: chargedItemBytes } : {}),
              evictionIntervalMs: config.evictionIntervalMs,
              evictionAlgorithm: config.evictionAlgorithm,
              expirationIntervalMs: config.expirationIntervalMs,
              // The server expires items at write time + TTL on every node (dist-protocol.md §9).
              expiry: 'absolute',
            }),
        },
        {
          provide: CLUSTER,
          inject: [HyperCache, CLOCK],
          useFactory: (engine: HyperCache<Buffer>, now: Clock) => buildCluster(config, engine, now, log, peerFaults, tel),
        },
        { provide: KEY_OWNERSHIP, inject: [CLUSTER], useFactory: (c: ClusterParts) => c.topology },
        { provide: DistributedCache, inject: [CLUSTER], useFactory: (c: ClusterParts) => c.dist },
        { provide: MembershipTable, inject: [CLUSTER], useFactory: (c: ClusterParts) => c.membership },
        { provide: FailureDetector, inject: [CLUSTER], useFactory: (c: ClusterParts) => c.detector },
        { provide: AntiEntropy, inject: [CLUSTER], useFactory: (c: ClusterParts) => c.antiEntropy },
        { provide: KeyBrowser, inject: [CLUSTER], useFactory: (c: ClusterParts) => c.keyBrowser },
        { provide: SeedJoinTracker, inject: [CLUSTER], useFactory: (c: ClusterParts) => c.join },
        { provide: NodeState, useValue: new NodeState() },
        { provide: CLIENT_AUTHENTICATOR, inject: [CLOCK], useFactory: (now: Clock) => clientAuthPolicy(config, log, now) },
        { provide: PEER_AUTHENTICATOR, useValue: peerAuthPolicy(config, log) },
        { provide: TELEMETRY, useValue: tel },
        {
          provide: NodeMetrics,
          inject: [HyperCache, CLUSTER],
          useFactory: (engine: HyperCache<Buffer>, c: ClusterParts) => new NodeMetrics({ engine, dist: c.dist, membership: c.membership, containerMemoryLimitBytes: config.containerMemoryLimitBytes }),
        },
        { provide: ClusterEventBus, useValue: new ClusterEventBus() },
        EngineLifecycle,
        ClusterLifecycle,
        TelemetryLifecycle,
      ],
      exports: [...SHARED_TOKENS],
    };
  }
}
