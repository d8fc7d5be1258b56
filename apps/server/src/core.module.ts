import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CLIENT_AUTHENTICATOR, PEER_AUTHENTICATOR, StaticTokenAuthenticator } from '@hypercache/auth';
import { CoarseClock, HyperCache } from '@hypercache/cache-engine';
import { CLOCK, SERVER_CONFIG, type Clock, type ServerConfig } from '@hypercache/config';
import { AntiEntropy, DistributedCache, KeyBrowser } from '@hypercache/distributed';
import { FailureDetector, KEY_OWNERSHIP, MembershipTable, NodeState, SeedJoinTracker } from '@hypercache/membership';
import type { PeerFaultSwitch } from '../../dist-gateway/src/peer-faults';
import { buildCluster, type ClusterParts } from './cluster.factory';

/** DI token of the node's {@link ClusterParts}. */
export const CLUSTER = Symbol('CLUSTER');
import { ClusterEventBus, ClusterEventsPublisher, NodeMetrics, ROOT_LOGGER, TELEMETRY, Telemetry } from '@hypercache/telemetry';

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
        { provide: CLIENT_AUTHENTICATOR, useValue: new StaticTokenAuthenticator(config.authToken) },
        { provide: PEER_AUTHENTICATOR, useValue: new StaticTokenAuthenticator(config.authToken, 'peer') },
        { provide: TELEMETRY, useValue: tel },
        {
          provide: NodeMetrics,
          inject: [HyperCache, CLUSTER],
          useFactory: (engine: HyperCache<Buffer>, c: ClusterParts) => new NodeMetrics({ engine, dist: c.dist, membership: c.membership }),
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
