import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGunzip } from 'node:zlib';
import type { Logger } from 'pino';
import { installAuth, type AuthPolicy } from '@hypercache/auth';
import { createFastifyApp } from '@hypercache/http-kit';
import { installInboundIsolation, type PeerFaultSwitch } from '@hypercache/node';
import { DistGatewayModule, type DistGatewayProviders } from './dist-gateway.module';

/** Peer request body cap when none is given (dist-protocol.md §17.3 default). */
const DEFAULT_DIST_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** What the dist gateway takes from the core. */
export interface DistGatewayDeps extends DistGatewayProviders {
  /** The peer policy (`HYPERCACHE_AUTH_TOKEN`). */
  readonly auth: AuthPolicy;
}

/** Listener settings of the dist gateway. */
export interface DistGatewayListener {
  readonly log: Logger;
  /** TLS material shared with the peer client (read once by the core). */
  readonly https?: { cert: Buffer; key: Buffer; ca?: Buffer };
  /** Test-only isolation switch: inbound dist requests are dropped while it is on. */
  readonly peerFaults?: PeerFaultSwitch;
  /**
   * Cap on every peer request body after gzip inflation; larger bodies get `413`. The server
   * passes the node's `cluster.peerBodyLimitBytes` (≥ 16 MiB, §17.3, and large enough for any
   * value the client API accepts, docs/decisions.md D18). Default 16 MiB.
   */
  readonly bodyLimitBytes?: number;
}

/** Builds the dist gateway app (not yet listening). */
export async function createDistGatewayApp(deps: DistGatewayDeps, l: DistGatewayListener): Promise<NestFastifyApplication> {
  return createFastifyApp(DistGatewayModule.forRoot(deps), {
    bodyLimitBytes: l.bodyLimitBytes ?? DEFAULT_DIST_BODY_LIMIT_BYTES,
    rawBody: true,
    https: l.https,
    log: l.log,
    beforeInit: (fastify) => {
      if (l.peerFaults !== undefined) installInboundIsolation(fastify, l.peerFaults);
      installAuth(fastify, deps.auth);
      // Receivers always accept gzip bodies (dist-protocol.md §17.3); the body limit applies to
      // the inflated stream, so a small bomb cannot allocate past it.
      // A callback hook, not an async one: every peer request passes here, and an async hook
      // costs a promise and a microtask turn even for the usual uncompressed body.
      fastify.addHook('preParsing', (req, _reply, payload, done) => {
        if (req.headers['content-encoding'] !== 'gzip') return done(null, payload);
        const inflated = Object.assign(createGunzip(), { receivedEncodedLength: 0 });
        // fastify checks Content-Length against the *encoded* bytes it was sent.
        payload.on('data', (chunk: Buffer) => (inflated.receivedEncodedLength += chunk.length));
        done(null, payload.pipe(inflated));
      });
    },
  });
}
