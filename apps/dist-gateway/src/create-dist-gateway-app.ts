import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { PEER_AUTHENTICATOR, installBearerAuth } from '@hypercache/auth';
import { createFastifyApp } from '@hypercache/http-kit';
import { DistGatewayModule } from './dist-gateway.module';

/** Peer request body cap (dist-protocol.md §17.3 default). */
const DIST_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** Builds the dist gateway app (not yet listening). */
export async function createDistGatewayApp(core: DynamicModule, log: Logger): Promise<NestFastifyApplication> {
  return createFastifyApp(DistGatewayModule.forRoot(core, log), {
    bodyLimitBytes: DIST_BODY_LIMIT_BYTES,
    rawBody: false,
    log,
    beforeInit: (fastify, nest) => installBearerAuth(fastify, nest.get(PEER_AUTHENTICATOR)),
  });
}
