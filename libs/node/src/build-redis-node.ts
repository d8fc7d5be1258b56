import { AsyncHyperCache, CoarseClock, HybridLogicalClock } from '@hypercache/cache-engine';
import type { BackendConfig, ServerConfig } from '@hypercache/config';
import { createRedisBackend, createRedisClusterBackend } from '@hypercache/redis-backend';
import { createRootLogger, Telemetry } from '@hypercache/telemetry';
import { readApiTls } from './api-tls';
import type { BuildNodeOptions, NodeListeners, NodePorts, RedisHyperNode } from './build-node';
import { clientAuthPolicy, peerAuthPolicy } from './node-auth';
import { NodeMetrics, type StoreFigures } from './node-metrics';
import { NodeState } from './node-state';
import { redisCheck } from './readiness';
import { RedisNodeCache } from './redis-node-cache';

type RedisBackendConfig = Exclude<BackendConfig, { kind: 'memory' }>;

/**
 * Builds a stateless node over Redis (`HYPERCACHE_BACKEND=redis`) or a Redis Cluster
 * (`redis-cluster`), issue 15: the Redis backend behind an {@link AsyncHyperCache}, the
 * {@link RedisNodeCache} data seam, auth, telemetry (with the Redis client series) and a `redis`
 * readiness check. No membership, ring, SWIM, anti-entropy, hints or peer listener: any number of
 * such nodes share the data through Redis. The client connects in the background; the node starts
 * even while Redis is down (readiness 503 naming Redis, data requests 503 BACKEND_UNAVAILABLE).
 */
export async function buildRedisNode(config: ServerConfig, backend: RedisBackendConfig, o: BuildNodeOptions): Promise<RedisHyperNode> {
  const tls = { api: readApiTls(config), dist: undefined };
  const log = o.log ?? createRootLogger({ nodeId: config.nodeId, level: config.logLevel });
  const clock = o.clock ?? new CoarseClock().now;
  const common = { keyPrefix: backend.keyPrefix, commandTimeoutMs: backend.commandTimeoutMs, serializer: 'msgpack' as const };
  // The values are Buffers: MessagePack keeps them binary (byte-exact), JSON would not.
  const redis =
    backend.kind === 'redis'
      ? createRedisBackend<Buffer>({ url: backend.url, ...common })
      : createRedisClusterBackend<Buffer>({ nodes: [...backend.nodes], password: backend.password, tls: backend.tls, ...common });
  const versions = new HybridLogicalClock();
  const engine = new AsyncHyperCache<Buffer>({ backend: redis, nodeId: config.nodeId, now: clock, clock: versions });
  const telemetry = Telemetry.create({ nodeId: config.nodeId, version: o.version ?? 'dev', tracer: o.tracer });
  try {
    const auth = { client: await clientAuthPolicy(config, log, clock), peer: peerAuthPolicy(config, log) };
    const data = new RedisNodeCache({ nodeId: config.nodeId, cache: engine, clock: versions, now: clock });
    const state = new NodeState();
    const store: StoreFigures = { counters: () => engine.counters(), items: () => data.size().items, bytes: () => data.size().bytes, limitBytes: () => 0 };
    const metrics = new NodeMetrics({ store, containerMemoryLimitBytes: config.memory.containerLimitBytes });
    const target = backend.kind === 'redis' ? redactedUrl(backend.url) : backend.nodes.map((n) => `${n.host}:${n.port}`).join(',');
    const readiness = [redisCheck(redis, target)];
    const parts = { backend: backend.kind, config, log, clock, data, state, engine, redis, auth, tls, metrics, telemetry, readiness };
    return { ...parts, ...redisLifecycle(parts) };
  } catch (e) {
    await Promise.allSettled([engine.stop(), telemetry.shutdown()]);
    throw e;
  }
}

type RedisNodeParts = Omit<RedisHyperNode, 'start' | 'stop'>;

/**
 * Start and stop of a node over Redis, each in one place and in order:
 * start: telemetry (node series + Redis client series) → build and bind the client API and
 * management listeners → readiness on (the `redis` check still gates `/readyz`);
 * stop: readiness off + drain → client API (in-flight requests finish) → management → Redis
 * client → telemetry. One deadline (`shutdownTimeoutMs`) covers the whole stop.
 */
function redisLifecycle(n: RedisNodeParts): Pick<RedisHyperNode, 'start' | 'stop'> {
  let listeners: NodeListeners | undefined;
  let stopping: Promise<void> | undefined;
  const start = async (open: () => Promise<NodeListeners>) => {
    n.telemetry.observe(() => n.metrics.snapshot());
    n.telemetry.observeRedis();
    const l = (listeners = await open());
    const ports: NodePorts = { api: await l.clientApi.listen(), mgmt: await l.management.listen(), dist: 0 };
    if (l.resp !== undefined) ports.resp = await l.resp.listen();
    n.state.markServing();
    n.log.info({ component: 'core', backend: n.backend }, 'stateless node over redis: no peer listener');
    return ports;
  };
  const stop = () =>
    (stopping ??= (async () => {
      const deadline = Date.now() + n.config.shutdownTimeoutMs;
      const left = (reserveMs: number) => Math.max(100, deadline - Date.now() - reserveMs);
      n.state.markDraining();
      if (listeners !== undefined) {
        if (listeners.resp !== undefined) await listeners.resp.close(Math.min(2_000, left(4_500)));
        await listeners.clientApi.close(left(2_500));
        await listeners.management.close(Math.min(2_000, left(500)));
      }
      await n.engine.stop();
      await n.telemetry.shutdown();
      n.log.debug({ component: 'core' }, 'node stopped');
    })());
  return { start, stop };
}

/** The URL as logs and `/readyz` may show it: the password masked. */
function redactedUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}
