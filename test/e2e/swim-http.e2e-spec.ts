import { http } from '../support/http';
import { startInProcessCluster, startNode, type TestNode } from '../support/start-node';
import { until } from '../support/until';

/** Short SWIM timings: H = 200 ms → probe timeout 100 ms, suspect 600 ms, dead 1.2 s, pruned 1.4 s. */
const FAST = {
  HYPERCACHE_REPLICATION: '3',
  HYPERCACHE_HEARTBEAT: '200ms',
  HYPERCACHE_GOSSIP_INTERVAL: '200ms',
  HYPERCACHE_REBALANCE_INTERVAL: '100ms',
  HYPERCACHE_MERKLE_SYNC_INTERVAL: '200ms',
  HYPERCACHE_MERKLE_SYNC_PEERS: '0',
  HYPERCACHE_HINT_REPLAY: '50ms',
};

type Member = { ID: string; Address: string; State: string; Incarnation: number };

const members = async (n: TestNode): Promise<Member[]> => (await http('GET', `${n.urls.mgmt}/cluster/members`)).json().members;
const stateOf = async (viewer: TestNode, id: string) => (await members(viewer)).find((m) => m.ID === id);
const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

/** Waits until every node sees every node alive and no membership version moved for 300 ms (startup suspicions settled). */
async function settled(nodes: TestNode[]): Promise<void> {
  let last = '';
  let since = Date.now();
  await until(async () => {
    const views = await Promise.all(nodes.map(async (n) => ({ m: await members(n), v: (await http('GET', `${n.urls.mgmt}/dist/metrics`)).json().MembershipVersion })));
    const sig = JSON.stringify(views.map((x) => x.v));
    if (sig !== last || !views.every((x) => x.m.length === nodes.length && x.m.every((m) => m.State === 'alive'))) {
      last = sig;
      since = Date.now();
      return false;
    }
    return Date.now() - since >= 300;
  }, 10_000);
}

describe('SWIM over real HTTP (in-process nodes)', () => {
  it('refutes a suspicion injected through gossip: incarnation +1, alive on every node (acceptance #64)', async () => {
    const nodes = await startInProcessCluster(3, FAST);
    const [n1, n2] = nodes;
    await settled(nodes);
    const self = (await stateOf(n2, 'node-2'))!;
    const claim = [{ id: 'node-2', address: self.Address, state: 'suspect', incarnation: self.Incarnation }];
    const r = await http('POST', `${n2.urls.dist}/internal/gossip`, json(claim));
    expect(r.status).toBe(200);
    // Push-pull answer: the receiver's own list, itself alive above the claim (exactly +1 in a quiet
    // cluster; a concurrent startup suspicion may have bumped it once more on a loaded machine).
    const own = (r.json() as Array<{ id: string; state: string; incarnation: number }>).find((e) => e.id === 'node-2')!;
    expect(own.state).toBe('alive');
    expect(own.incarnation).toBeGreaterThanOrEqual(self.Incarnation + 1);
    expect(await stateOf(n2, 'node-2')).toMatchObject({ State: 'alive' });
    // Tell node-1 the same lie at the new incarnation: it ignores it when node-2 answered its own
    // probe within 2 heartbeats (decisions F12), else it believes it until node-2's refutation
    // travels by gossip (a successful probe also clears the suspicion). Either way node-2 is alive
    // everywhere at or above the refuted incarnation.
    await http('POST', `${n1.urls.dist}/internal/gossip`, json([{ ...claim[0], incarnation: self.Incarnation + 1 }]));
    await until(async () => {
      for (const n of nodes) {
        const m = await stateOf(n, 'node-2');
        if (m?.State !== 'alive' || m.Incarnation < self.Incarnation + 1) return false;
      }
      return true;
    }, 5_000);
    expect(await stateOf(n1, 'node-2')).toMatchObject({ State: 'alive' });
    const ring = (await http('GET', `${n1.urls.mgmt}/cluster/ring`)).json();
    expect(ring.count).toBe(3 * 64);
  });

  it('answers 400 to a malformed gossip body and serves the probe relay', async () => {
    const [n1] = await startInProcessCluster(2, FAST);
    expect((await http('POST', `${n1.urls.dist}/internal/gossip`, { body: '{"not":"an array"}' })).status).toBe(400);
    expect((await http('POST', `${n1.urls.dist}/internal/gossip`, { body: 'nope' })).status).toBe(400);
    const bad = await http('POST', `${n1.urls.dist}/internal/gossip`, json([{ id: '', address: 'x:1', state: 'alive', incarnation: 1 }]));
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatch(/member id/);
    expect((await http('GET', `${n1.urls.dist}/internal/probe`)).json()).toEqual({ error: 'missing target' });
    expect((await http('GET', `${n1.urls.dist}/internal/probe?target=nobody`)).status).toBe(404);
    const ok = await http('GET', `${n1.urls.dist}/internal/probe?target=node-2`);
    expect([ok.status, ok.text]).toEqual([200, 'ok']);
  });

  it('marks a stopped node suspect, dead, then prunes it; it rejoins alive with its keys after a restart', async () => {
    const nodes = await startInProcessCluster(3, FAST);
    const [n1, n2, n3] = nodes;
    await settled(nodes);
    const removedBefore = (await http('GET', `${n1.urls.mgmt}/dist/metrics`)).json().NodesRemoved;
    const keys = Array.from({ length: 30 }, (_, i) => `swim-${i}`);
    for (const k of keys) expect((await http('PUT', `${n1.urls.api}/v1/cache/${k}`, { body: k })).status).toBe(200);
    await n3.close();
    const seen = new Set<string>();
    await until(async () => {
      const m = await stateOf(n1, 'node-3');
      seen.add(m?.State ?? 'absent');
      return m === undefined;
    }, 5_000, 10);
    expect(seen.has('suspect')).toBe(true);
    const metrics = (await http('GET', `${n1.urls.mgmt}/dist/metrics`)).json();
    expect(metrics.HeartbeatFailure).toBeGreaterThan(0);
    expect(metrics.NodesRemoved).toBe(removedBefore + 1);
    expect((await http('GET', `${n1.urls.mgmt}/cluster/ring`)).json().count).toBe(2 * 64);
    // Writes and a delete while it is gone.
    for (const k of keys.slice(0, 5)) expect((await http('PUT', `${n2.urls.api}/v1/cache/${k}`, { body: `${k}-v2` })).status).toBe(200);
    expect((await http('DELETE', `${n2.urls.api}/v1/cache/${keys[5]}`)).status).toBe(200);

    const c = n3.config;
    const back = await startNode({
      ...FAST,
      HYPERCACHE_NODE_ID: c.nodeId,
      HYPERCACHE_API_ADDR: c.listeners.api.text,
      HYPERCACHE_MGMT_ADDR: c.listeners.mgmt.text,
      HYPERCACHE_DIST_ADDR: c.listeners.dist.text,
      HYPERCACHE_SEEDS: c.seeds.join(','),
    });
    const all = [n1, n2, back];
    await until(async () => {
      for (const n of all) for (const id of ['node-1', 'node-2', 'node-3']) if ((await stateOf(n, id))?.State !== 'alive') return false;
      return true;
    }, 10_000);
    // RF 3 on 3 nodes: the returning node owns every key; anti-entropy/rebalancing bring them back.
    await until(async () => {
      const r = await http('POST', `${back.urls.api}/v1/cache/batch/get`, json({ keys }));
      return r.json().results.every((x: { key: string; found: boolean }) => x.found === (x.key !== keys[5]));
    }, 10_000);
    for (const k of keys.slice(0, 5)) expect((await http('GET', `${back.urls.api}/v1/cache/${k}`)).text).toBe(`${k}-v2`);
    expect((await http('GET', `${back.urls.api}/v1/cache/${keys[5]}`)).status).toBe(404);
    expect((await http('GET', `${n1.urls.mgmt}/cluster/ring`)).json().count).toBe(3 * 64);
  });

  it('keeps a drained node alive in membership (drain is readiness, not death): writes 503, peers still probe it ok', async () => {
    const nodes = await startInProcessCluster(2, { ...FAST, HYPERCACHE_REPLICATION: '2' });
    const [n1, n2] = nodes;
    await settled(nodes);
    expect((await http('POST', `${n2.urls.dist}/dist/drain`)).status).toBe(200);
    expect((await http('PUT', `${n2.urls.api}/v1/cache/x`, { body: 'v' })).json().code).toBe('DRAINING');
    const before = (await http('GET', `${n1.urls.mgmt}/dist/metrics`)).json().HeartbeatSuccess;
    await until(async () => (await http('GET', `${n1.urls.mgmt}/dist/metrics`)).json().HeartbeatSuccess >= before + 5, 5_000);
    expect((await stateOf(n1, 'node-2'))?.State).toBe('alive');
    expect((await http('PUT', `${n1.urls.api}/v1/cache/x`, { body: 'v' })).status).toBe(200);
    expect((await http('GET', `${n2.urls.api}/v1/cache/x`)).text).toBe('v');
  });

  it('serves per-peer Merkle trees and entries over HTTP, and the upstream whole-node tree without parameters', async () => {
    const [n1, n2] = await startInProcessCluster(2, { ...FAST, HYPERCACHE_REPLICATION: '2', HYPERCACHE_MERKLE_SYNC_INTERVAL: '0' });
    for (let i = 0; i < 10; i++) await http('PUT', `${n1.urls.api}/v1/cache/m-${i}`, { body: 'x' });
    await http('DELETE', `${n1.urls.api}/v1/cache/m-0`);
    const whole = (await http('GET', `${n2.urls.dist}/internal/merkle`)).json();
    expect(whole).toMatchObject({ chunk_size: 128 });
    expect(whole.leaf_hashes).toHaveLength(1);
    const t1 = (await http('GET', `${n1.urls.dist}/internal/merkle?peer=node-2&buckets=4`)).json();
    const t2 = (await http('GET', `${n2.urls.dist}/internal/merkle?peer=node-1&buckets=4`)).json();
    expect(t1.leaf_hashes).toHaveLength(4);
    expect(t1.root).toBe(t2.root);
    const entries = (await http('GET', `${n1.urls.dist}/internal/merkle/entries?peer=node-2&buckets=4&bucket=0,1,2,3`)).json();
    expect(entries).toHaveLength(10);
    expect(entries.find((e: { key: string }) => e.key === 'm-0')).toMatchObject({ tombstone: true });
    expect((await http('GET', `${n1.urls.dist}/internal/merkle?peer=node-2&buckets=0`)).status).toBe(400);
    expect((await http('GET', `${n1.urls.dist}/internal/merkle/entries?peer=node-2&buckets=4&bucket=9`)).status).toBe(400);
  });
});
