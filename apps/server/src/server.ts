import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { ListenAddress, ServerConfig } from '@hypercache/config';
import { buildNode, type BuildNodeOptions, type HyperNode, type NodeListener, type NodeListeners } from '@hypercache/node';
import { installRequestMetrics } from '@hypercache/telemetry';
import { createClientApiApp } from '../../client-api/src/create-client-api-app';
import { createDistGatewayApp } from '../../dist-gateway/src/create-dist-gateway-app';
import { createManagementApp } from '../../management/src/create-management-app';
import { SERVER_VERSION } from './version';

/** Options of {@link startServer} beyond the parsed config (tests inject these). */
export type StartOptions = Omit<BuildNodeOptions, 'version'>;

/** A running node: the core, its three apps and the addresses they actually bound. */
export interface RunningServer {
  /** The core: every stateful singleton of the process, created once. */
  readonly node: HyperNode;
  readonly clientApi: NestFastifyApplication;
  readonly management: NestFastifyApplication;
  readonly distGateway: NestFastifyApplication;
  /** Bound ports (differ from the config when it asked for port 0). */
  readonly ports: { api: number; mgmt: number; dist: number };
  readonly log: Logger;
  /** Graceful stop ({@link HyperNode.stop}: the order is written there). Idempotent. */
  close(): Promise<void>;
}

/** Boots one node in this process: one core, three Fastify apps on their own listeners. */
export async function startServer(config: ServerConfig, o: StartOptions = {}): Promise<RunningServer> {
  const node = await buildNode(config, { ...o, version: SERVER_VERSION });
  const { log, state, data, auth, clock, cluster, metrics } = node;
  const apps: Partial<Record<'clientApi' | 'management' | 'distGateway', NestFastifyApplication>> = {};
  // Built after the loops start (SWIM and the seed join get going while the apps compile).
  const open = async (): Promise<NodeListeners> => {
    apps.clientApi = await createClientApiApp(
      { data, state, auth: auth.client, clock, maxKeyLength: config.clientApi.maxKeyLength, topology: node.topologyReporter, events: node.keyEvents },
      { log: log.child({ component: 'client-api' }), version: SERVER_VERSION, bodyLimitBytes: config.clientApi.maxBodyBytes, https: node.tls.api },
    );
    apps.management = await createManagementApp(
      { data, state, auth: auth.client, metrics, topology: cluster.topology, events: node.events, join: cluster.join, prometheus: node.telemetry.prometheus },
      { log: log.child({ component: 'management' }), version: SERVER_VERSION },
    );
    apps.distGateway = await createDistGatewayApp(
      { dist: cluster.dist, state, auth: auth.peer, clock, detector: cluster.detector, antiEntropy: cluster.antiEntropy },
      { log: log.child({ component: 'dist-gateway' }), https: node.tls.dist, peerFaults: o.peerFaults, bodyLimitBytes: cluster.peerBodyLimitBytes },
    );
    installRequestMetrics(apps.clientApi.getHttpAdapter().getInstance(), metrics.http.api);
    installRequestMetrics(apps.management.getHttpAdapter().getInstance(), metrics.http.management);
    installRequestMetrics(apps.distGateway.getHttpAdapter().getInstance(), metrics.http.dist);
    return {
      clientApi: listener(apps.clientApi, config.listeners.api, 'client API', log),
      management: listener(apps.management, config.listeners.mgmt, 'management', log),
      dist: listener(apps.distGateway, config.listeners.dist, 'dist', log),
    };
  };
  try {
    const ports = await node.start(open);
    const { clientApi, management, distGateway } = apps as Required<typeof apps>;
    log.info({ component: 'server', ports, version: SERVER_VERSION }, 'node started');
    return { node, clientApi, management, distGateway, ports, log, close: () => node.stop() };
  } catch (e) {
    // Apps built but not handed to the node (a later one failed to build) are closed here.
    if (apps.distGateway === undefined) await Promise.allSettled(Object.values(apps).map((a) => a.close()));
    await node.stop();
    throw e;
  }
}

/** One Nest app as a {@link NodeListener}. */
function listener(app: NestFastifyApplication, addr: ListenAddress, name: string, log: Logger): NodeListener {
  return {
    listen: async () => {
      try {
        await app.listen({ port: addr.port, host: addr.host });
      } catch (e) {
        // TS MUST exit non-zero on any bind failure (config.md A.4); the caller does so.
        throw new Error(`${name} listener failed to bind ${addr.text}: ${(e as Error).message}`, { cause: e });
      }
      const a = app.getHttpServer().address();
      return typeof a === 'object' && a !== null ? a.port : addr.port;
    },
    close: (ms) => closeWithin(app, ms, log),
  };
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
