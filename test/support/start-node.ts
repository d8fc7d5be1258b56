import pino, { type Logger } from 'pino';
import { loadServerConfig, type ServerConfig } from '@hypercache/config';
import { startServer, type RunningServer } from '../../apps/server/src/server';
import { registerCleanup } from './cleanup';

/** A node started in this jest process on ephemeral loopback ports. */
export interface TestNode extends RunningServer {
  readonly config: ServerConfig;
  /** `http://127.0.0.1:<port>` of each listener. */
  readonly urls: { api: string; mgmt: string; dist: string };
}

/**
 * Starts a node in-process (real HTTP on 127.0.0.1, port 0) with the given `HYPERCACHE_*`
 * overrides; closed automatically after the test file.
 */
export async function startNode(env: Record<string, string> = {}, o: { log?: Logger; clock?: () => number } = {}): Promise<TestNode> {
  const config = loadServerConfig({
    HYPERCACHE_NODE_ID: 'node-1',
    HYPERCACHE_API_ADDR: '127.0.0.1:0',
    HYPERCACHE_MGMT_ADDR: '127.0.0.1:0',
    HYPERCACHE_DIST_ADDR: '127.0.0.1:0',
    HYPERCACHE_LOG_LEVEL: 'silent',
    ...env,
  });
  const server = await startServer(config, { log: o.log ?? pino({ level: 'silent' }), clock: o.clock });
  registerCleanup(() => server.close());
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    ...server,
    config,
    urls: { api: url(server.ports.api), mgmt: url(server.ports.mgmt), dist: url(server.ports.dist) },
  };
}
