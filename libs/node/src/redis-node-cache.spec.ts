import pino from 'pino';
import { AsyncHyperCache, HybridLogicalClock } from '@hypercache/cache-engine';
import { loadServerConfig } from '@hypercache/config';
import { createRedisBackend } from '@hypercache/redis-backend';
import { RedisChannelName } from '@hypercache/redis-backend';
import { REDIS_CHANNELS } from '@hypercache/telemetry';
import { redisCommand, startRedis, startRedisCluster, type RedisServer } from '../../../test/support/redis';
import { until } from '../../../test/support/until';
import { buildNode, type RedisHyperNode } from './build-node';
import { RedisNodeCache } from './redis-node-cache';
import { describeNodeCacheConformance } from './testing/node-cache.conformance';

let subjects = 0;

/** A node over Redis built from env (listeners never bound: the seam is exercised directly), with its own key prefix. */
async function redisNode(env: Record<string, string>, prefix = `conf-${++subjects}:`, clock?: () => number): Promise<RedisHyperNode> {
  const config = loadServerConfig({ HYPERCACHE_NODE_ID: `redis-${++subjects}`, HYPERCACHE_LOG_LEVEL: 'silent', HYPERCACHE_REDIS_KEY_PREFIX: prefix, ...env });
  const node = await buildNode(config, { log: pino({ level: 'silent' }), clock });
  if (node.backend === 'memory') throw new Error('expected a node over redis');
  return node;
}

/** Waits until the node's Redis connection is ready (the client connects in the background). */
async function ready(node: RedisHyperNode): Promise<RedisHyperNode> {
  await until(() => node.redis.isReady(), 20_000, 20);
  return node;
}

describe('RedisNodeCache', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });

  describeNodeCacheConformance('RedisNodeCache (one redis-server)', async () => {
    const node = await ready(await redisNode({ HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: redis.url }));
    return { cache: node.data, close: () => node.stop() };
  });

  it('telemetry subscribes by the very channel names the Redis backend publishes on', () => {
    expect(REDIS_CHANNELS).toEqual({ command: RedisChannelName.Command, connection: RedisChannelName.Connection });
  });

  it('gives a later write through another node a higher version even when that node’s clock is behind, and round-trips origin, write time and expiry', async () => {
    const env = { HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: redis.url };
    // a's wall clock runs 10 s ahead of b's: its versions are above anything b's clock would issue.
    const a = await ready(await redisNode(env, 'shared-versions:', () => Date.now() + 10_000));
    const b = await ready(await redisNode(env, 'shared-versions:'));
    try {
      await a.data.set('k', Buffer.from('a'), 0);
      const fromA = await a.data.get('k');
      await b.data.set('k', Buffer.from('b'), 60_000);
      const fromB = await a.data.get('k');
      expect(fromB?.value.toString()).toBe('b');
      expect(fromB!.version).toBeGreaterThan(fromA!.version);
      expect(fromB?.origin).toBe(b.data.nodeId);
      expect(fromB!.lastUpdatedMs).toBeGreaterThan(0);
      expect(fromB!.expiresAtMs).toBeGreaterThanOrEqual(fromB!.lastUpdatedMs + 60_000);
      expect(await b.data.get('k')).toEqual(fromB);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('clears and browses only its own prefix: a foreign key in the same database survives and is never listed', async () => {
    const node = await ready(await redisNode({ HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: redis.url }, 'mine:'));
    try {
      expect(await redisCommand(redis.port, 'SET foreign:key keep-me')).toBe('+OK\r\n');
      await node.data.set('a', Buffer.from('1'), 0);
      await node.data.set('b', Buffer.from('2'), 0);
      const page = await node.data.keys({ pattern: undefined, cursor: 0, limit: 100, max: 1000 });
      expect(page.keys).toEqual(['a', 'b']);
      await node.data.maintenance.clear();
      expect((await node.data.keys({ pattern: undefined, cursor: 0, limit: 100, max: 1000 })).total_matched).toBe(0);
      expect(await redisCommand(redis.port, 'GET foreign:key')).toBe('$7\r\nkeep-me\r\n');
    } finally {
      await node.stop();
    }
  });
});

describe('RedisNodeCache size estimate (/config allocation, cache_items)', () => {
  it('counts the prefix’s keys (other nodes’ writes included) and sizes them by the mean record it has seen', async () => {
    const redis = await startRedis();
    const backend = createRedisBackend<Buffer>({ url: redis.url, keyPrefix: 'size:' });
    const clock = new HybridLogicalClock();
    const cache = new AsyncHyperCache<Buffer>({ backend, nodeId: 'n1', clock });
    const sut = new RedisNodeCache({ nodeId: 'n1', cache, clock, now: Date.now, sizeRefreshMs: 0 });
    try {
      await until(() => backend.isReady(), 20_000, 20);
      const written = await cache.set('probe', Buffer.alloc(100), 0);
      await cache.remove('probe');
      expect(sut.size()).toEqual({ items: 0, bytes: 0 });
      for (let i = 0; i < 4; i++) await sut.set(`mine-${i}`, Buffer.alloc(100), 0);
      // Keys written by another node (straight through the engine) show at the next count.
      for (let i = 0; i < 6; i++) await cache.set(`other-${i}`, Buffer.alloc(100), 0);
      await until(() => sut.size().items === 10, 10_000, 20);
      expect(sut.size().bytes).toBe(10 * written.size);
      await sut.maintenance.clear();
      expect(sut.size().items).toBe(0);
    } finally {
      await cache.stop();
    }
  });
});

describe('RedisNodeCache over a Redis Cluster', () => {
  let nodes: string;
  beforeAll(async () => {
    const cluster = await startRedisCluster(3);
    nodes = cluster.startupNodes.map((n) => `${n.host}:${n.port}`).join(',');
  }, 90_000);

  describeNodeCacheConformance('RedisNodeCache (3-master Redis Cluster)', async () => {
    const node = await ready(await redisNode({ HYPERCACHE_BACKEND: 'redis-cluster', HYPERCACHE_REDIS_CLUSTER_NODES: nodes }));
    return { cache: node.data, close: () => node.stop() };
  });
});
