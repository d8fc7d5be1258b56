import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { NestPinoLogger } from './nest-pino-logger';
import { ApiError } from './api-error';
import { ErrorEnvelopeFilter, sendError } from './error-envelope.filter';

/** A route as fastify registered it (`url` in find-my-way syntax, e.g. `/v1/cache/:key`). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

const routeTables = new WeakMap<object, RegisteredRoute[]>();

/** Every route registered on an app made by {@link createFastifyApp} (for drift tests and docs). */
export function registeredRoutes(app: NestFastifyApplication): readonly RegisteredRoute[] {
  return routeTables.get(app) ?? [];
}

/** Options of {@link createFastifyApp}. */
export interface FastifyAppOptions {
  /** Request body cap in bytes; larger bodies get `413 PAYLOAD_TOO_LARGE`. */
  bodyLimitBytes: number;
  /**
   * Keep every body as the raw Buffer whatever its Content-Type (client API: values are opaque
   * bytes; batch routes parse JSON themselves). Otherwise Nest's JSON parser is used.
   */
  rawBody: boolean;
  /** Logger for framework-level errors. */
  log: PinoLogger;
  /** Socket idle keep-alive, ms (client-api.md §1: 60 s). */
  keepAliveTimeoutMs?: number;
  /** Whole-request timeout, ms (client-api.md §1: read timeout 5 s); 0 = none. */
  requestTimeoutMs?: number;
  /** TLS for the listener (PEM); with `ca` set, client certificates are required and verified. */
  https?: { cert: Buffer; key: Buffer; ca?: Buffer };
  /** Hooks to add on the fastify instance before routes are registered. */
  beforeInit?: (fastify: FastifyInstance, app: NestFastifyApplication) => void;
}

/**
 * Creates one Nest application on Fastify with the project's HTTP conventions: the JSON error
 * envelope for every error (including fastify's own 404/413/400), raw or JSON bodies, long
 * params (keys up to several KiB percent-encoded), and graceful close of idle keep-alive sockets.
 * The app is initialised but not listening.
 */
export async function createFastifyApp(
  module: Type | DynamicModule,
  o: FastifyAppOptions,
): Promise<NestFastifyApplication> {
  const https = o.https && {
    cert: o.https.cert,
    key: o.https.key,
    ca: o.https.ca,
    requestCert: o.https.ca !== undefined,
    rejectUnauthorized: o.https.ca !== undefined,
    minVersion: 'TLSv1.2' as const,
    ALPNProtocols: ['http/1.1'],
  };
  const adapter = new FastifyAdapter({
    ...(https ? { https } : {}),
    bodyLimit: o.bodyLimitBytes,
    routerOptions: { maxParamLength: 16_384 },
    exposeHeadRoutes: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    keepAliveTimeout: o.keepAliveTimeoutMs ?? 60_000,
    requestTimeout: o.requestTimeoutMs ?? 0,
    logger: false,
    // Router-level failures (malformed percent-encoding, …) get the envelope too.
    frameworkErrors: (err: Error, req: FastifyRequest, reply: FastifyReply) => sendError(reply, req.method, new ApiError('BAD_REQUEST', err.message)),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bodyParser: !o.rawBody,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(new NestPinoLogger(o.log));
  const fastify = app.getHttpAdapter().getInstance();
  if (o.rawBody) {
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: o.bodyLimitBytes }, (_req, body, done) =>
      done(null, body),
    );
  }
  const routes: RegisteredRoute[] = [];
  fastify.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  routeTables.set(app, routes);
  app.useGlobalFilters(new ErrorEnvelopeFilter(o.log));
  o.beforeInit?.(fastify, app);
  await app.init();
  return app;
}
