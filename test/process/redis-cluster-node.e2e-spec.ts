import { http } from '../support/http';
import { redisCli as cli, startRedisCluster, type RedisCluster, type RedisServer } from '../support/redis';
import { freePort, spawnServer, until } from '../support/server-process';

const TOKEN = 'redis-cluster-token';
const auth = { token: TOKEN };

/** The masters of the cluster, each with its replica (from `ROLE` on every process). */
async function topology(cluster: RedisCluster): Promise<Array<{ master: RedisServer; replica: RedisServer }>> {
  const pairs: Array<{ master: RedisServer; replica: RedisServer }> = [];
  const roles = await Promise.all(cluster.nodes.map(async (n) => ({ n, role: (await cli(n.port, 'role')).split('\n') })));
  for (const { n, role } of roles.filter((r) => r.role[0] === 'master')) {
    const replica = roles.find((r) => r.role[0] === 'slave' && Number(r.role[2]) === n.port);
    if (replica !== undefined) pairs.push({ master: n, replica: replica.n });
  }
  return pairs;
}

describe('hypercache-server over a Redis Cluster (3 masters + 3 replicas)', () => {
  let cluster: RedisCluster;
  let api: string;
  let mgmt: string;

  beforeAll(async () => {
    cluster = await startRedisCluster(3, { replicas: 1 });
    await until(async () => (await topology(cluster)).length === 3, 30_000, 100);
    const [apiPort, mgmtPort] = [await freePort(), await freePort()];
    spawnServer({
      HYPERCACHE_NODE_ID: 'over-cluster',
      HYPERCACHE_API_ADDR: `127.0.0.1:${apiPort}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${mgmtPort}`,
      HYPERCACHE_AUTH_TOKEN: TOKEN,
      HYPERCACHE_BACKEND: 'redis-cluster',
      HYPERCACHE_REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    });
    api = `http://127.0.0.1:${apiPort}`;
    mgmt = `http://127.0.0.1:${mgmtPort}`;
    await until(async () => (await http('GET', `${mgmt}/readyz`)).status === 200, 60_000, 100);
  }, 180_000);

  it('serves every key again after a master is killed and its replica takes over, without a restart', async () => {
    const keys = Array.from({ length: 120 }, (_, i) => `fo/${i}`);
    for (const k of keys) expect((await http('PUT', `${api}/v1/cache/${encodeURIComponent(k)}`, { body: `v-${k}`, ...auth })).status).toBe(200);
    const pairs = await topology(cluster);
    // Replication is asynchronous: wait until every replica holds what its master holds.
    await until(async () => {
      for (const { master, replica } of pairs) if ((await cli(master.port, 'dbsize')) !== (await cli(replica.port, 'dbsize'))) return false;
      return true;
    }, 30_000, 100);
    const victim = pairs[0];
    expect(Number(await cli(victim.master.port, 'dbsize'))).toBeGreaterThan(0);

    await victim.master.stop(true);
    // While the slots of the dead master have no owner, requests fail fast with 503, never 500.
    const seen = new Set<string>();
    await until(
      async () => {
        let all = true;
        for (const k of keys) {
          const r = await http('GET', `${api}/v1/cache/${encodeURIComponent(k)}`, auth);
          if (r.status === 200) {
            expect(r.text).toBe(`v-${k}`);
            continue;
          }
          seen.add(`${r.status} ${r.json().code}`);
          all = false;
        }
        return all;
      },
      90_000,
      250,
    );
    for (const s of seen) expect(s).toBe('503 BACKEND_UNAVAILABLE');
    expect((await cli(victim.replica.port, 'role')).split('\n')[0]).toBe('master');
    // Writes land again too, and the key browser fans out over the surviving masters.
    expect((await http('PUT', `${api}/v1/cache/after-failover`, { body: 'ok', ...auth })).status).toBe(200);
    expect((await http('GET', `${api}/v1/cache/keys?q=fo/&limit=1`, auth)).json().total_matched).toBe(keys.length);
    expect((await http('GET', `${mgmt}/readyz`)).status).toBe(200);
  }, 150_000);
});
