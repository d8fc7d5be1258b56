import { Cluster } from 'ioredis';
import { describeAsyncEngineContract, describeBackendContract } from '@hypercache/cache-engine/testing';
import { createRedisClusterBackend, type RedisClusterBackend } from '@hypercache/redis-backend';
import { registerCleanup } from '../support/cleanup';
import { clusterRole, redisCli, startRedisCluster, type RedisCluster } from '../support/redis';
import { until } from '../support/until';
import { newItemForTest } from './kit';

let cluster: RedisCluster;
let raw: Cluster;
let n = 0;

beforeAll(async () => {
  cluster = await startRedisCluster(3, { replicas: 1, nodeTimeoutMs: 2_000 });
  raw = new Cluster(cluster.startupNodes, { clusterRetryStrategy: () => 100, redisOptions: { maxRetriesPerRequest: 1 } });
  raw.on('error', () => undefined);
  registerCleanup(() => raw.disconnect());
}, 180_000);

/** A backend under a prefix of its own (tests share the cluster), stopped after the file. */
function backend<V = string>(o: { keyPrefix?: string; commandTimeoutMs?: number } = {}): RedisClusterBackend<V> {
  const b = createRedisClusterBackend<V>({ nodes: cluster.startupNodes.map((s) => `${s.host}:${s.port}`).join(','), keyPrefix: `c${++n}:`, commandTimeoutMs: 2_000, ...o });
  registerCleanup(() => b.stop());
  return b;
}

describeBackendContract('RedisClusterBackend (3 masters + 3 replicas)', () => backend());
describeAsyncEngineContract('RedisClusterBackend (3 masters + 3 replicas)', () => backend());

/** Ports of the nodes that are masters now. */
async function masterPorts(): Promise<number[]> {
  const out: number[] = [];
  for (const node of cluster.nodes.filter((x) => x.isRunning())) if ((await clusterRole(node.port)) === 'master') out.push(node.port);
  return out;
}

describe('RedisClusterBackend on a real Redis Cluster', () => {
  it('spreads keys over every master and never sends a command across slots (remove, list, count, clear of 300 keys)', async () => {
    const sut = backend({ keyPrefix: 'spread:' });
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    const now = Date.now();
    await Promise.all(keys.map((k) => sut.set(newItemForTest(k, `v-${k}`, now, 0))));
    const perMaster = await Promise.all((await masterPorts()).map(async (p) => Number((await redisCli(p, 'eval', "return #redis.call('keys', 'spread:*')", '0')).trim())));
    expect(perMaster).toHaveLength(3);
    expect(perMaster.every((c) => c > 0)).toBe(true);
    expect(perMaster.reduce((a, b) => a + b, 0)).toBe(300);
    expect(await sut.count()).toBe(300);
    expect((await sut.list([])).map((i) => i.key).sort()).toEqual([...keys].sort());
    expect(await sut.remove([...keys.slice(0, 150), 'missing-1', 'missing-2'])).toBe(150);
    expect(await sut.count()).toBe(150);
    await sut.clear();
    expect(await sut.count()).toBe(0);
  });

  it('counts and clears only its own keys: foreign keys on every master survive', async () => {
    const sut = backend({ keyPrefix: 'mine:' });
    const foreign = Array.from({ length: 30 }, (_, i) => `foreign-${i}`);
    for (const k of foreign) await raw.set(k, 'x');
    for (let i = 0; i < 30; i++) await sut.set(newItemForTest(`k${i}`, 'v', Date.now(), 0));
    expect(await sut.count()).toBe(30);
    await sut.clear();
    expect(await sut.count()).toBe(0);
    for (const k of foreign) expect(await raw.get(k)).toBe('x');
  });

  it('after a master is killed, its replica takes over and every key is readable again through the same backend', async () => {
    const sut = backend({ keyPrefix: 'fo:', commandTimeoutMs: 1_000 });
    const keys = Array.from({ length: 120 }, (_, i) => `k${i}`);
    const now = Date.now();
    await Promise.all(keys.map((k) => sut.set(newItemForTest(k, `v-${k}`, now, 0))));
    const victimPort = (await masterPorts())[0];
    // Wait until the victim's replica has every write (replication is asynchronous).
    await until(async () => {
      const info = await redisCli(victimPort, 'info', 'replication');
      const offset = /master_repl_offset:(\d+)/.exec(info)?.[1];
      return offset !== undefined && new RegExp(`slave0:.*offset=${offset},`).test(info);
    }, 30_000, 50);
    const victim = cluster.nodes.find((x) => x.port === victimPort)!;
    await victim.stop(true);

    // While the replica takes over, calls settle (a value or BACKEND_UNAVAILABLE), never hang.
    const t0 = Date.now();
    const during = await Promise.allSettled(keys.slice(0, 20).map((k) => sut.get(k)));
    expect(Date.now() - t0).toBeLessThan(1_000 + 3_000);
    for (const r of during) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });

    await until(async () => {
      const got = await Promise.all(keys.map((k) => sut.get(k)));
      return got.every((item, i) => item?.value === `v-${keys[i]}`);
    }, 90_000, 250);
    expect((await masterPorts()).length).toBe(3);
    await sut.set(newItemForTest('after', 'v', Date.now(), 0));
    expect((await sut.get('after'))?.value).toBe('v');
    expect(await sut.count()).toBe(121);
  }, 150_000);
});
