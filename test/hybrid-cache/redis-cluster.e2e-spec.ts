import { HybridCache, JsonSerializer, RedisBackplane, RedisL2 } from '@hypercache/hybrid-cache';
import { backplaneConformance, l2AdapterConformance } from '@hypercache/hybrid-cache/testing';
import { startRedisCluster, type RedisCluster } from '../support/redis';
import { until } from '../support/until';
import { clusterClient, ready } from './redis-client';

let cluster: RedisCluster;
let run = 0;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 120_000);
beforeEach(() => {
  run++;
});

describe('RedisL2 on a 3-master Redis Cluster (conformance, §11)', () => {
  let n = 0;
  for (const c of l2AdapterConformance(async () => {
    const client = clusterClient(cluster.startupNodes);
    await ready(client);
    return new RedisL2({ client, keyPrefix: `cl-${run}-${n++}:` });
  })) {
    it(c.name, c.run, 30_000);
  }
});

describe('RedisBackplane on a Redis Cluster (conformance, §9)', () => {
  for (const c of backplaneConformance(async () => {
    const client = clusterClient(cluster.startupNodes);
    await ready(client);
    return new RedisBackplane({ client, channel: `cl-bus-${run}` });
  })) {
    it(c.name, c.run, 30_000);
  }
});

describe('two caches on a Redis Cluster L2 + backplane', () => {
  it('a set, a deleteByTag and a clear in one are observed by the other', async () => {
    const make = async (): Promise<HybridCache> => {
      const l2 = clusterClient(cluster.startupNodes);
      const bus = clusterClient(cluster.startupNodes);
      await Promise.all([ready(l2), ready(bus)]);
      return HybridCache.create({ l2: new RedisL2({ client: l2, keyPrefix: 'two:' }), serializer: new JsonSerializer(), backplane: new RedisBackplane({ client: bus }) });
    };
    const [a, b] = [await make(), await make()];
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`); // spread over the three masters
    for (const k of keys) await a.set(k, `${k}-v1`, { tags: ['all'] });
    for (const k of keys) expect((await b.get(k)).value).toBe(`${k}-v1`);
    await a.set('k3', 'k3-v2');
    await until(async () => (await b.get('k3')).value === 'k3-v2', 5_000, 10);
    await a.deleteByTag('all');
    await until(async () => !(await b.get('k0')).found, 5_000, 10);
    expect((await b.get('k3')).value).toBe('k3-v2'); // re-set without the tag: survives
    await b.set('c', 'c1');
    await a.clear(true);
    await until(async () => !(await b.get('c')).found, 5_000, 10);
    await a.close();
    await b.close();
  }, 60_000);
});
