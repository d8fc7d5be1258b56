import type { Tracer } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import { loadServerConfig, type ServerConfig } from '@hypercache/config';
import type { ClusterHyperNode, RedisHyperNode } from '@hypercache/node';
import { startServer, type RunningServer } from '../../apps/server/src/server';
import { registerCleanup } from './cleanup';
import { freePort } from './server-process';
import { until } from './until';

/** A node started in this jest process on ephemeral loopback ports (a cluster member unless `N` says otherwise). */
export interface TestNode<N extends ClusterHyperNode | RedisHyperNode = ClusterHyperNode> extends RunningServer<N> {
  readonly config: ServerConfig;
  /** `http://127.0.0.1:<port>` of each listener. */
  readonly urls: { api: string; mgmt: string; dist: string };
}

/**
 * Starts a node in-process (real HTTP on 127.0.0.1, port 0) with the given `HYPERCACHE_*`
 * overrides; closed automatically after the test file.
 */
export async function startNode(env: Record<string, string> = {}, o: { log?: Logger; clock?: () => number; tracer?: Tracer } = {}): Promise<TestNode> {
  const node = await startAnyNode(env, o);
  if (node.node.backend !== 'memory') throw new Error('startNode starts cluster members; use startRedisNode');
  return node as TestNode;
}

/** Like {@link startNode}, for a stateless node over Redis (`HYPERCACHE_BACKEND=redis` and its URL in `env`). */
export async function startRedisNode(env: Record<string, string>, o: { log?: Logger } = {}): Promise<TestNode<RedisHyperNode>> {
  const node = await startAnyNode({ HYPERCACHE_BACKEND: 'redis', ...env }, o);
  if (node.node.backend === 'memory') throw new Error('startRedisNode needs HYPERCACHE_BACKEND=redis or redis-cluster');
  return node as TestNode<RedisHyperNode>;
}

async function startAnyNode(env: Record<string, string>, o: { log?: Logger; clock?: () => number; tracer?: Tracer }): Promise<TestNode<ClusterHyperNode | RedisHyperNode>> {
  const config = loadServerConfig({
    HYPERCACHE_NODE_ID: 'node-1',
    HYPERCACHE_API_ADDR: '127.0.0.1:0',
    HYPERCACHE_MGMT_ADDR: '127.0.0.1:0',
    HYPERCACHE_DIST_ADDR: '127.0.0.1:0',
    HYPERCACHE_LOG_LEVEL: 'silent',
    ...env,
  });
  const server = await startServer(config, { log: o.log ?? pino({ level: 'silent' }), clock: o.clock, tracer: o.tracer });
  registerCleanup(() => server.close());
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    ...server,
    config,
    urls: { api: url(server.ports.api), mgmt: url(server.ports.mgmt), dist: url(server.ports.dist) },
  } as TestNode<ClusterHyperNode | RedisHyperNode>;
}

/**
 * Starts `n` nodes in this process on loopback, seeded with each other (`id@127.0.0.1:port`),
 * for cluster e2e tests that do not need separate processes. Resolves once every node holds every
 * member alive, like the process clusters: before that a node still joining its seeds sees no
 * majority and rightly refuses QUORUM writes (docs/decisions.md F1), which on a loaded machine
 * lasted long enough to fail the first writes of a test.
 */
export async function startInProcessCluster(n: number, env: Record<string, string> = {}, o: { tracer?: Tracer } = {}): Promise<TestNode[]> {
  const ids = Array.from({ length: n }, (_, i) => `node-${i + 1}`);
  const dist: number[] = [];
  for (let i = 0; i < n; i++) dist.push(await freePort());
  const seeds = ids.map((id, i) => `${id}@127.0.0.1:${dist[i]}`).join(',');
  const nodes: TestNode[] = [];
  for (let i = 0; i < n; i++) {
    // Only the dist ports are chosen ahead (the seeds name them); the API and management
    // listeners bind port 0, so no other test can take their port in between (EADDRINUSE in CI).
    nodes.push(
      await startNode({
        HYPERCACHE_NODE_ID: ids[i],
        HYPERCACHE_DIST_ADDR: `127.0.0.1:${dist[i]}`,
        HYPERCACHE_SEEDS: seeds,
        ...env,
      }, o),
    );
  }
  await until(() => nodes.every((x) => x.node.cluster.membership.alive().length === n), 30_000, 20);
  return nodes;
}

/** Closes `node` and starts it again in this process with the same ID, ports and seeds. */
export async function restartInProcessNode(node: TestNode): Promise<TestNode> {
  await node.close();
  const c = node.config;
  return startNode({
    HYPERCACHE_NODE_ID: c.nodeId,
    HYPERCACHE_API_ADDR: c.listeners.api.text,
    HYPERCACHE_MGMT_ADDR: c.listeners.mgmt.text,
    HYPERCACHE_DIST_ADDR: c.listeners.dist.text,
    HYPERCACHE_SEEDS: c.seeds.join(','),
    HYPERCACHE_REPLICATION: String(c.ring.replication),
  });
}
