import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KEY_OWNERSHIP, type RingTopology, SeedJoinTracker } from '@hypercache/membership';
import { EventJournal, NODE_CACHE, NodeMetrics, NodeState, type NodeCache } from '@hypercache/node';
import { PrometheusMetrics } from '@hypercache/telemetry';
import { ClusterEventsController } from './cluster-events.controller';
import { ManagementController } from './management.controller';
import { ProbesController } from './probes.controller';

/** What the management app is given by the core. */
export interface ManagementProviders {
  readonly data: NodeCache;
  readonly state: NodeState;
  readonly metrics: NodeMetrics;
  readonly topology: RingTopology;
  /** The `/cluster/events` journal. */
  readonly events: EventJournal;
  readonly join: SeedJoinTracker;
  readonly prometheus: PrometheusMetrics;
}

/**
 * Root module of the management app (port 8081). It constructs no state of its own: every
 * provider is one of the core's instances (`useValue`). Request logs come from an `onResponse`
 * hook (`installRequestLogging`, see create-management-app.ts).
 */
@Module({})
export class ManagementModule {
  static forRoot(p: ManagementProviders): DynamicModule {
    return {
      module: ManagementModule,
      imports: [
        // Failing probes are answered with a 503 body; terminus's own error log would repeat it
        // on every probe while the node drains.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [ManagementController, ClusterEventsController, ProbesController],
      providers: [
        { provide: NODE_CACHE, useValue: p.data },
        { provide: NodeState, useValue: p.state },
        { provide: NodeMetrics, useValue: p.metrics },
        { provide: KEY_OWNERSHIP, useValue: p.topology },
        { provide: EventJournal, useValue: p.events },
        { provide: SeedJoinTracker, useValue: p.join },
        { provide: PrometheusMetrics, useValue: p.prometheus },
      ],
    };
  }
}
