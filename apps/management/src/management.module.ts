import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { ClusterEventsController } from './cluster-events.controller';
import { ManagementController } from './management.controller';
import { ProbesController } from './probes.controller';

/**
 * Root module of the management app (port 8081); state comes from the `core` bridge. Request logs
 * come from an `onResponse` hook (`installRequestLogging`, see create-management-app.ts).
 */
@Module({})
export class ManagementModule {
  static forRoot(core: DynamicModule, _log?: Logger): DynamicModule {
    return {
      module: ManagementModule,
      imports: [
        core,
        // Failing probes are answered with a 503 body; terminus's own error log would repeat it
        // on every probe while the node drains.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [ManagementController, ClusterEventsController, ProbesController],
    };
  }
}
