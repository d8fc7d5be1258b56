import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { ListenAddress, ServerConfig } from '@hypercache/config';
import { buildNode, type BuildNodeOptions, type ClusterHyperNode, type HyperNode, type NodeListener, type NodeListeners, type NodePorts } from '@hypercache/node';
import { RespServer } from '@hypercache/resp';
import { installRequestMetrics } from '@hypercache/telemetry';
import { createClientApiApp } from '../../client-api/src/create-client-api-app';
import { createDistGatewayApp } from '../../dist-gateway/src/create-dist-gateway-app';
import { createManagementApp } from '../../management/src/create-management-app';
import { SERVER_VERSION } from './version';

/** Options of {@link startServer} beyond the parsed config (tests inject these). */
export type StartOptions = Omit<BuildNodeOptions, 'version'>;

/**
 * A running node: the core, its apps and the addresses they actually bound. A cluster member runs
 * three apps; a node over Redis has no peer listener (`distGateway` undefined, `ports.dist` 0).
 */
export interface RunningServer<N extends HyperNode = HyperNode> {
  /** The core: every stateful singleton of the process, created once. */
  readonly node: N;
  readonly clientApi: NestFastifyApplication;
  readonly management: NestFastifyApplication;
  readonly distGateway: N extends ClusterHyperNode ? NestFastifyApplication : NestFastifyApplication | undefined;
  /** Bound ports (differ from the config when it asked for port 0); `resp` when the RESP listener is on. */
  readonly ports: NodePorts;
  /** The RESP listener (`HYPERCACHE_RESP_ADDR`), undefined when off. */
  readonly resp: RespServer | undefined;
  readonly log: Logger;
  /** Graceful stop ({@link HyperNode.stop}: the order is written there). Idempotent. */
  close(): Promise<void>;
}

/**
 * Boots one node in this process: one core, a Fastify app per listener (client API, management,
 * and on a cluster member the peer listener).
 */
export async function startServer(config: ServerConfig, o: StartOptions = {}): Promise<RunningServer> {
  const node = await buildNode(config, { ...o, version: SERVER_VERSION });
  const { log, state, data, auth, clock, metrics } = node;
  const clusterNode = node.backend === 'memory' ? node : undefined;
  const cluster = clusterNode?.cluster;
  const apps: Partial<Record<'clientApi' | 'management' | 'distGateway', NestFastifyApplication>> = {};
  const resp = config.resp === undefined ? undefined : createRespServer(node, config.resp.addr);
  // Built after the loops start (SWIM and the seed join get going while the apps compile).
  const open = async (): Promise<NodeListeners> => {
    apps.clientApi = await createClientApiApp(
      { data, state, auth: auth.client, clock, maxKeyLength: config.clientApi.maxKeyLength, topology: clusterNode?.topologyReporter, events: clusterNode?.keyEvents },
      { log: log.child({ component: 'client-api' }), version: SERVER_VERSION, bodyLimitBytes: config.clientApi.maxBodyBytes, https: node.tls.api, requestCounters: metrics.http.api },
    );
    apps.management = await createManagementApp(
      { data, state, auth: auth.client, metrics, topology: cluster?.topology, events: clusterNode?.events, readiness: node.readiness, prometheus: node.telemetry.prometheus },
      { log: log.child({ component: 'management' }), version: SERVER_VERSION },
    );
    installRequestMetrics(apps.management.getHttpAdapter().getInstance(), metrics.http.management);
    const listeners = {
      clientApi: listener(apps.clientApi, config.listeners.api, 'client API', log),
      management: listener(apps.management, config.listeners.mgmt, 'management', log),
      ...(resp === undefined || config.resp === undefined ? {} : { resp: respListener(resp, config.resp.addr) }),
    };
    // Over Redis there are no peers: the dist listener is not bound (docs/decisions.md B21).
    if (cluster === undefined) return listeners;
    apps.distGateway = await createDistGatewayApp(
      { dist: cluster.dist, state, auth: auth.peer, clock, detector: cluster.detector, antiEntropy: cluster.antiEntropy },
      { log: log.child({ component: 'dist-gateway' }), https: node.tls.dist, peerFaults: o.peerFaults, bodyLimitBytes: cluster.peerBodyLimitBytes },
    );
    installRequestMetrics(apps.distGateway.getHttpAdapter().getInstance(), metrics.http.dist);
    return { ...listeners, dist: listener(apps.distGateway, config.listeners.dist, 'dist', log) };
  };
  let handed = false;
  try {
    const ports = await node.start(async () => {
      const l = await open();
      handed = true;
      return l;
    });
    const { clientApi, management } = apps as Required<typeof apps>;
    log.info({ component: 'server', ports, version: SERVER_VERSION, backend: node.backend }, 'node started');
    return { node, clientApi, management, distGateway: apps.distGateway, ports, resp, log, close: () => node.stop() };
  } catch (e) {
    // Apps built but not handed to the node (a later one failed to build) are closed here.
    if (!handed) await Promise.allSettled(Object.values(apps).map((a) => a.close()));
    await node.stop();
    throw e;
  }
}

/**
 * The RESP listener over the node's seam (docs/decisions.md P-rows): the client API's auth
 * policy, drain state, body and key limits and, when the client API has TLS, the same material.
 */
function createRespServer(node: HyperNode, addr: ListenAddress): RespServer {
  const { config, log } = node;
  const rlog = log.child({ component: 'resp' });
  return new RespServer(
    {
      data: node.data,
      state: node.state,
      auth: node.auth.client,
      clock: node.clock,
      maxKeyLength: config.clientApi.maxKeyLength,
      maxBulkBytes: config.clientApi.maxBodyBytes,
      version: SERVER_VERSION,
    },
    { host: addr.host, port: addr.port, tls: node.tls.api, onInternalError: (err) => rlog.error({ err }, 'RESP command failed') },
  );
}

/** The RESP server as a {@link NodeListener}. */
function respListener(resp: RespServer, addr: ListenAddress): NodeListener {
  return {
    listen: async () => {
      try {
        return await resp.listen();
      } catch (e) {
        throw new Error(`RESP listener failed to bind ${addr.text}: ${(e as Error).message}`, { cause: e });
      }
    },
    close: (ms) => resp.close(ms),
  };
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
