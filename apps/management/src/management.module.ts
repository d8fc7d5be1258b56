import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ManagementController } from './management.controller';
import { ProbesController } from './probes.controller';
import { ClusterEventsController } from './cluster-events.controller';

/** Root module of the management app (port 8081); state comes from the `core` bridge. */
@Module({})
export class ManagementModule {
  static forRoot(core: DynamicModule, log: Logger): DynamicModule {
    return {
      module: ManagementModule,
      imports: [core, LoggerModule.forRoot({
          // Request logs (method, url, status, response time) at debug; errors at warn/error.
          pinoHttp: {
            logger: log,
            quietReqLogger: true,
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
          },
        }),
        // Failing probes are answered with a 503 body; terminus's own error log would repeat it
        // on every probe while the node drains.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [ManagementController, ClusterEventsController, ProbesController],
    };
  }
}
