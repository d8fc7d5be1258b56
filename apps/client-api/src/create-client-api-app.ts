import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { installAuth, type AuthPolicy } from '@hypercache/auth';
import type { Clock } from '@hypercache/config';
import { createFastifyApp, registeredRoutes } from '@hypercache/http-kit';
import { installRequestLogging, installRequestMetrics, type HttpRequestCounters } from '@hypercache/telemetry';
import type { EventJournal, NodeCache, NodeState, TopologyReporter } from '@hypercache/node';
import { CacheRoutes, installCacheRoutes } from './cache-routes';
import { ClientApiModule } from './client-api.module';
import { OPENAPI_YAML } from './client-api.tokens';
import { installDrainGate } from './drain-gate';
import { installValueFastPath } from './value-fast-path';
import { buildClientApiDocument, documentToYaml } from './openapi';

/** What the client API takes from the core. */
export interface ClientApiDeps {
  readonly data: NodeCache;
  readonly state: NodeState;
  readonly auth: AuthPolicy;
  readonly clock: Clock;
  readonly maxKeyLength: number;
  /** `GET /v1/topology` source (issue 17); undefined over Redis (the route answers 501). */
  readonly topology: TopologyReporter | undefined;
  /** `GET /v1/events` journal (issue 17); undefined over Redis (the route answers 501). */
  readonly events: EventJournal | undefined;
}

/** Listener settings of the client API. */
export interface ClientApiListener {
  readonly log: Logger;
  readonly version: string;
  /** `HYPERCACHE_MAX_BODY_BYTES`. */
  readonly bodyLimitBytes: number;
  /** TLS material; with `ca`, client certificates are required and verified (mTLS). */
  readonly https?: { cert: Buffer; key: Buffer; ca?: Buffer };
  /** Request counters of the listener (`http_server_requests_total`); undefined = not counted. */
  readonly requestCounters?: HttpRequestCounters;
}

/**
 * Builds the client API app (not yet listening): raw-byte bodies capped at `bodyLimitBytes`,
 * the OpenAPI document at `/v1/openapi.yaml` and Swagger UI at `/docs`. With `https`, the
 * listener speaks TLS, and with `https.ca` it requires and verifies client certificates (mTLS,
 * auth.md §6); plaintext, TLS and mTLS share every other line.
 */
export async function createClientApiApp(deps: ClientApiDeps, l: ClientApiListener): Promise<NestFastifyApplication> {
  const traced = l.log.isLevelEnabled('trace');
  const cacheRoutes = new CacheRoutes({ data: deps.data, clock: deps.clock, maxKeyLength: deps.maxKeyLength, log: l.log });
  const module = ClientApiModule.forRoot({ data: deps.data, clock: deps.clock, limits: { maxKeyLength: deps.maxKeyLength }, topology: deps.topology, events: deps.events, cacheRoutes });
  const app = await createFastifyApp(module, {
    bodyLimitBytes: l.bodyLimitBytes,
    https: l.https,
    rawBody: true,
    log: l.log,
    keepAliveTimeoutMs: 60_000,
    beforeInit: (fastify) => {
      // Per-request logs on the value routes only when the level asks for them (trace): at any
      // other level not even the hook is installed (docs/decisions.md A6).
      if (traced) installRequestLogging(fastify, l.log, 'trace');
      if (l.requestCounters !== undefined) installRequestMetrics(fastify, l.requestCounters);
      installAuth(fastify, deps.auth, { publicPrefixes: ['/docs'] });
      installDrainGate(fastify, deps.state);
      // The value routes skip Nest's router (docs/benchmarks.md, issue 18).
      installCacheRoutes(fastify, cacheRoutes);
    },
  });
  // Local raw GET hits and plain PUTs are answered before fastify (docs/benchmarks.md, issue 18);
  // not when every request is logged, which only the framework's hook does.
  if (!traced) {
    const adapter = app.getHttpAdapter() as unknown as { isShuttingDown?: boolean };
    installValueFastPath(app.getHttpServer(), {
      data: deps.data,
      state: deps.state,
      maxKeyLength: deps.maxKeyLength,
      bodyLimitBytes: l.bodyLimitBytes,
      auth: deps.auth,
      counters: l.requestCounters,
      log: l.log,
      // Nest's adapter sets this (a private field) when the app starts closing; its hook then answers 503.
      shuttingDown: () => adapter.isShuttingDown === true,
      routes: registeredRoutes(app),
    });
  }
  const doc = buildClientApiDocument(app, l.version);
  app.get<{ yaml: string }>(OPENAPI_YAML).yaml = documentToYaml(doc);
  SwaggerModule.setup('docs', app, doc, { raw: false, ui: true, swaggerOptions: { persistAuthorization: true } });
  return app;
}
