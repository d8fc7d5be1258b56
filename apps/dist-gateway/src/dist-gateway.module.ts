import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { DistHealthController } from './dist-health.controller';
import { PeerRoutesController } from './peer-routes.controller';

/** Root module of the peer gateway (port 7946); state comes from the `core` bridge. */
@Module({})
export class DistGatewayModule {
  static forRoot(core: DynamicModule, log: Logger): DynamicModule {
    return {
      module: DistGatewayModule,
      imports: [core, LoggerModule.forRoot({
          // Request logs (method, url, status, response time) at debug; errors at warn/error.
          pinoHttp: {
            logger: log,
            quietReqLogger: true,
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
          },
        }),],
      controllers: [DistHealthController, PeerRoutesController],
    };
  }
}
