import { DynamicModule, Module } from '@nestjs/common';
import { CLOCK, type Clock } from '@hypercache/config';
import { AntiEntropy, DistributedCache } from '@hypercache/distributed';
import { FailureDetector } from '@hypercache/membership';
import { NodeState } from '@hypercache/node';
import { DistHealthController } from './dist-health.controller';
import { PeerRoutesController } from './peer-routes.controller';
import { MembershipRoutesController } from './membership-routes.controller';
import { AntiEntropyRoutesController } from './anti-entropy-routes.controller';

/**
 * What the peer gateway is given by the core. The peer protocol is the in-memory cluster's own,
 * so this app talks to the distributed cache directly (not through the node seam).
 */
export interface DistGatewayProviders {
  readonly dist: DistributedCache;
  readonly state: NodeState;
  readonly clock: Clock;
  readonly detector: FailureDetector;
  readonly antiEntropy: AntiEntropy;
}

/**
 * Root module of the peer gateway (port 7946); every provider is one of the core's instances.
 * No per-request logging: every replicated write crosses this listener once per replica.
 */
@Module({})
export class DistGatewayModule {
  static forRoot(p: DistGatewayProviders): DynamicModule {
    return {
      module: DistGatewayModule,
      controllers: [DistHealthController, PeerRoutesController, MembershipRoutesController, AntiEntropyRoutesController],
      providers: [
        { provide: DistributedCache, useValue: p.dist },
        { provide: NodeState, useValue: p.state },
        { provide: CLOCK, useValue: p.clock },
        { provide: FailureDetector, useValue: p.detector },
        { provide: AntiEntropy, useValue: p.antiEntropy },
      ],
    };
  }
}
