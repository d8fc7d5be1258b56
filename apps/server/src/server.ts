import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { Clock, ListenAddress, ServerConfig } from '@hypercache/config';
import { NodeState } from '@hypercache/membership';
import type { Tracer } from '@opentelemetry/api';
import { installRequestMetrics, NestPinoLogger, NodeMetrics, Telemetry, createRootLogger } from '@hypercache/telemetry';
import { createClientApiApp } from '../../client-api/src/create-client-api-app';
import { createDistGatewayApp } from '../../dist-gateway/src/create-dist-gateway-app';
import { createManagementApp } from '../../management/src/create-management-app';
import { CoreBridgeModule } from './core-bridge.module';
import { CoreModule } from './core.module';
import { peerBodyLimitOf } from './cluster.factory';
import { readApiTls } from './api-tls';
import { readDistTls } from './dist-tls';
import type { PeerFaultSwitch } from '../../dist-gateway/src/peer-faults';
import { SERVER_VERSION } from './version';

/** Options of {@link startServer} beyond the parsed config (tests inject these). */
export interface StartOptions {
  /** Root logger; default a pino logger on stderr at the configured level. */
  log?: Logger;
  /** Wall clock, default `Date.now`. */
  clock?: Clock;
  /**
   * Test-only network isolation switch (peer-faults.ts). Only test code can pass one; the
   * production entry never does.
   */
  peerFaults?: PeerFaultSwitch;
  /**
   * Tracer for the dist spans (tests pass one backed by an in-memory exporter). Default: the
   * OpenTelemetry SDK's when `OTEL_*` asks for export, else none (tracing off, nothing wrapped).
   */
  tracer?: Tracer;
}

/** A running node: the core, its three apps and the addresses they actually bound. */
export interface RunningServer {
  readonly core: INestApplicationContext;
  readonly clientApi: NestFastifyApplication;
  readonly management: NestFastifyApplication;
  readonly distGateway: NestFastifyApplication;
  /** Bound ports (differ from the config when it asked for port 0). */
  readonly ports: { api: number; mgmt: number; dist: number };
  readonly log: Logger;
  /**
   * Graceful stop in the order of ARCHITECTURE.md / deploy.md §2, all within `shutdownTimeoutMs`:
   * mark draining → close the client API (in-flight requests finish) → close management → close
   * the dist gateway (last listener: peers read from a draining node) → close the core (engine,
   * SWIM, rebalancer, anti-entropy, hint loops, peer pools). Idempotent.
   */
  close(): Promise<void>;
}

async function listen(app: NestFastifyApplication, addr: ListenAddress, name: string): Promise<number> {
  try {
    await app.listen({ port: addr.port, host: addr.host });
  } catch (e) {
    // TS MUST exit non-zero on any bind failure (config.md A.4); the caller does so.
    throw new Error(`${name} listener failed to bind ${addr.text}: ${(e as Error).message}`, { cause: e });
  }
  const a = app.getHttpServer().address();
  return typeof a === 'object' && a !== null ? a.port : addr.port;
}

/** Boots one node in this process: one core, three Fastify apps on their own listeners. */
export async function startServer(config: ServerConfig, o: StartOptions = {}): Promise<RunningServer> {
  const apiTls = readApiTls(config);
  const log = o.log ?? createRootLogger({ nodeId: config.nodeId, level: config.logLevel });
  const telemetry = Telemetry.create({ nodeId: config.nodeId, version: SERVER_VERSION, tracer: o.tracer });
  let core: INestApplicationContext;
  try {
    core = await NestFactory.createApplicationContext(CoreModule.forRoot(config, log, o.clock, o.peerFaults, telemetry), {
      logger: new NestPinoLogger(log.child({ component: 'core' })),
      abortOnError: false,
    });
  } catch (e) {
    await telemetry.shutdown();
    throw e;
  }
  await core.init();
  const bridge = CoreBridgeModule.from(core);
  const opened: NestFastifyApplication[] = [];
  try {
    const clientApi = await createClientApiApp(bridge, config, log.child({ component: 'client-api' }), SERVER_VERSION, apiTls);
    opened.push(clientApi);
    const management = await createManagementApp(bridge, log.child({ component: 'management' }), SERVER_VERSION);
    opened.push(management);
    const distGateway = await createDistGatewayApp(bridge, log.child({ component: 'dist-gateway' }), readDistTls(config), o.peerFaults, peerBodyLimitOf(config));
    opened.push(distGateway);
    const http = core.get(NodeMetrics).http;
    installRequestMetrics(clientApi.getHttpAdapter().getInstance(), http.api);
    installRequestMetrics(management.getHttpAdapter().getInstance(), http.management);
    installRequestMetrics(distGateway.getHttpAdapter().getInstance(), http.dist);
    const ports = {
      api: await listen(clientApi, config.apiAddr, 'client API'),
      mgmt: await listen(management, config.mgmtAddr, 'management'),
      dist: await listen(distGateway, config.distAddr, 'dist'),
    };
    core.get(NodeState).markServing();
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        // One deadline for the whole sequence (deploy.md §2): drain → client API → management →
        // dist listener last (peers keep reading from this node while it drains) → core loops.
        const deadline = Date.now() + config.shutdownTimeoutMs;
        const left = (reserveMs: number) => Math.max(100, deadline - Date.now() - reserveMs);
        core.get(NodeState).markDraining();
        await closeWithin(clientApi, left(4_500), log);
        await closeWithin(management, Math.min(2_000, left(2_500)), log);
        await closeWithin(distGateway, Math.min(2_000, left(500)), log);
        await core.close();
      })());
    log.info({ component: 'server', ports, version: SERVER_VERSION }, 'node started');
    return { core, clientApi, management, distGateway, ports, log, close };
  } catch (e) {
    await Promise.allSettled(opened.map((a) => a.close()));
    await core.close();
    throw e;
  }
}

/**
 * Closes an app: stop accepting, let in-flight requests finish, and close keep-alive sockets as
 * soon as they go idle (Node closes only the sockets idle at `close()` time). After `ms` the
 * remaining connections are destroyed so shutdown stays bounded.
 */
async function closeWithin(app: NestFastifyApplication, ms: number, log: Logger): Promise<void> {
  const server = app.getHttpServer();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => {
    log.warn({ component: 'server', timeout_ms: ms }, 'shutdown deadline reached; closing remaining connections');
    server.closeAllConnections();
  }, ms);
  sweep.unref();
  deadline.unref();
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
}
