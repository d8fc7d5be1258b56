import { DynamicModule, Module } from '@nestjs/common';
import { DistHealthController } from './dist-health.controller';
import { PeerRoutesController } from './peer-routes.controller';
import { MembershipRoutesController } from './membership-routes.controller';
import { AntiEntropyRoutesController } from './anti-entropy-routes.controller';

/**
 * Root module of the peer gateway (port 7946); state comes from the `core` bridge. No per-request
 * logging middleware: every replicated write crosses this listener once per replica.
 */
@Module({})
export class DistGatewayModule {
  static forRoot(core: DynamicModule): DynamicModule {
    return {
      module: DistGatewayModule,
      imports: [core],
      controllers: [DistHealthController, PeerRoutesController, MembershipRoutesController, AntiEntropyRoutesController],
    };
  }
}
