import { HypercacheClient } from '@hypercache/client';
import { metricSum } from '../support/node-metrics';
import { FAST_HEALING_ENV, joinNode, killNode, startProcessCluster, type ProcNode } from '../support/process-cluster';
import { until } from '../support/until';

const TOKEN = 'failover-token';
const ENV = { HYPERCACHE_AUTH_TOKEN: TOKEN, ...FAST_HEALING_ENV };

describe('@hypercache/client routing through membership changes: 5 nodes, RF 3 (issue 17)', () => {
  let nodes: ProcNode[];
  let client: HypercacheClient;

  beforeAll(async () => {
    nodes = await startProcessCluster(5, ENV);
    client = new HypercacheClient({ endpoints: nodes.map((n) => n.api), token: TOKEN, topologyRefreshIntervalMs: 500 });
    await until(async () => (await client.topology()).members.filter((m) => m.apiUrl !== null && m.state === 'alive').length === 5, 30_000);
  }, 180_000);

  afterAll(async () => {
    await client?.close();
  });

  it('loses no read and no write while a node is SIGKILLed mid-loop', async () => {
    const victim = nodes[2];
    const stats = { writes: 0, reads: 0, failedWrites: 0, failedReads: 0, wrongReads: 0, errors: [] as string[] };
    let stop = false;
    let round = 0;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const key = `loop-${w}-${i % 50}`;
        const value = `${w}:${i}`;
        try {
          await client.put(key, value);
          stats.writes++;
        } catch (err) {
          stats.failedWrites++;
          stats.errors.push(`put ${key}: ${(err as Error).message}`);
          continue;
        }
        try {
          const got = await client.getString(key);
          stats.reads++;
          if (got !== value) stats.wrongReads++;
        } catch (err) {
          stats.failedReads++;
          stats.errors.push(`get ${key}: ${(err as Error).message}`);
        }
        round++;
      }
    };
    const workers = Array.from({ length: 4 }, (_, w) => worker(w));
    await until(() => round > 100, 30_000);
    await killNode(victim);
    // Keep going until the cluster (and so the client's topology) declares the victim dead, then a while longer.
    await until(() => client.currentTopology?.members.find((m) => m.id === victim.id)?.state !== 'alive', 30_000);
    const after = round;
    await until(() => round > after + 200, 60_000);
    stop = true;
    await Promise.all(workers);
    expect(stats.errors.slice(0, 5)).toEqual([]);
    expect({ failedWrites: stats.failedWrites, failedReads: stats.failedReads }).toEqual({ failedWrites: 0, failedReads: 0 });
    expect(stats.wrongReads).toBe(0);
    expect(stats.writes).toBeGreaterThan(300);
  }, 180_000);

  it('routes to a sixth node once it joins, without a restart', async () => {
    const alive = nodes.filter((n) => n.proc.child.exitCode === null && n.proc.child.signalCode === null);
    const sixth = await joinNode(alive, 'node-6', ENV);
    nodes.push(sixth);
    await until(() => client.currentTopology?.members.some((m) => m.id === 'node-6' && m.state === 'alive' && m.apiUrl !== null && m.owner) === true, 60_000);
    const keys = Array.from({ length: 400 }, (_, i) => `after-join-${i}`).filter((k) => client.localOwners(k)[0] === 'node-6');
    expect(keys.length).toBeGreaterThan(10);
    const puts = (): Promise<number> => metricSum(sixth.mgmt, TOKEN, 'http_server_requests_total', { listener: 'api', method: 'PUT', status: '200' });
    const before = await puts();
    for (const k of keys) await client.put(k, 'v');
    expect((await puts()) - before).toBe(keys.length);
    for (const k of keys) expect(await client.getString(k)).toBe('v');
  }, 120_000);
});
