import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGunzip } from 'node:zlib';
import type { Logger } from 'pino';
import { PEER_AUTHENTICATOR, installBearerAuth } from '@hypercache/auth';
import { createFastifyApp } from '@hypercache/http-kit';
import { DistGatewayModule } from './dist-gateway.module';
import { installInboundIsolation, type PeerFaultSwitch } from './peer-faults';

/** Peer request body cap (dist-protocol.md §17.3 default). */
const DIST_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** Builds the dist gateway app (not yet listening). */
export async function createDistGatewayApp(
  core: DynamicModule,
  log: Logger,
  https?: { cert: Buffer; key: Buffer; ca?: Buffer },
  peerFaults?: PeerFaultSwitch,
): Promise<NestFastifyApplication> {
  return createFastifyApp(DistGatewayModule.forRoot(core), {
    bodyLimitBytes: DIST_BODY_LIMIT_BYTES,
    rawBody: true,
    https,
    log,
    beforeInit: (fastify, nest) => {
      if (peerFaults !== undefined) installInboundIsolation(fastify, peerFaults);
      installBearerAuth(fastify, nest.get(PEER_AUTHENTICATOR));
      // Receivers always accept gzip bodies (dist-protocol.md §17.3); the body limit applies to
      // the inflated stream, so a small bomb cannot allocate past it.
      fastify.addHook('preParsing', async (req, _reply, payload) => {
        if (req.headers['content-encoding'] !== 'gzip') return payload;
        const inflated = Object.assign(createGunzip(), { receivedEncodedLength: 0 });
        // fastify checks Content-Length against the *encoded* bytes it was sent.
        payload.on('data', (chunk: Buffer) => (inflated.receivedEncodedLength += chunk.length));
        return payload.pipe(inflated);
      });
    },
  });
}
