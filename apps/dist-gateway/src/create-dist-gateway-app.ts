import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGunzip } from 'node:zlib';
import type { Logger } from 'pino';
import { PEER_AUTHENTICATOR, installBearerAuth } from '@hypercache/auth';
import { createFastifyApp } from '@hypercache/http-kit';
import { MIN_PEER_BODY_LIMIT_BYTES } from '@hypercache/transport';
import { DistGatewayModule } from './dist-gateway.module';
import { installInboundIsolation, type PeerFaultSwitch } from './peer-faults';

/**
 * Builds the dist gateway app (not yet listening). `bodyLimitBytes` caps every peer request body
 * after gzip inflation: the server passes `peerBodyLimitBytes(config)` (≥ 16 MiB, §17.3, and large
 * enough for any value the client API accepts, docs/decisions.md D18); larger bodies get `413`.
 */
export async function createDistGatewayApp(
  core: DynamicModule,
  log: Logger,
  https?: { cert: Buffer; key: Buffer; ca?: Buffer },
  peerFaults?: PeerFaultSwitch,
  bodyLimitBytes: number = MIN_PEER_BODY_LIMIT_BYTES,
): Promise<NestFastifyApplication> {
  return createFastifyApp(DistGatewayModule.forRoot(core), {
    bodyLimitBytes,
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
