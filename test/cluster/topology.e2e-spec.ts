import { loadXxhash64, type Xxhash64 } from '@hypercache/hashing';
import { http } from '../support/http';
import { FAST_HEALING_ENV, joinNode, killNode, startProcessCluster, type ProcNode } from '../support/process-cluster';
import { ownersFromRing } from '../support/ring-owners';
import { until } from '../support/until';

const TOKEN = 'topology-token';
const ENV = { HYPERCACHE_AUTH_TOKEN: TOKEN, ...FAST_HEALING_ENV };

interface Topology {
  node: string;
  ringVersion: string;
  replication: number;
  virtualNodesPerNode: number;
  members: Array<{ id: string; state: string; incarnation: number; apiUrl: string | null; owner: boolean }>;
  ring: Array<{ hash: string; node: string }>;
}

const topologyOf = async (n: ProcNode): Promise<Topology> => {
  const r = await http('GET', `${n.api}/v1/topology`, { token: TOKEN });
  expect(r.status).toBe(200);
  return r.json();
};

describe('GET /v1/topology on a real 3-node cluster (issue 17)', () => {
  let nodes: ProcNode[];
  let hasher: Xxhash64;

  beforeAll(async () => {
    hasher = await loadXxhash64();
    nodes = await startProcessCluster(3, ENV);
  }, 120_000);

  it('answers the same ring and ringVersion on every node, each member with its reachable client API URL', async () => {
    // The URLs travel by gossip: wait until every node has heard every member's (and, on a loaded
    // machine, until a briefly suspected member is back: states may differ while they settle).
    let views: Topology[] = [];
    await until(async () => {
      views = await Promise.all(nodes.map(topologyOf));
      return views.every((v) => v.members.length === 3 && v.members.every((m) => m.apiUrl !== null && m.owner)) && new Set(views.map((v) => v.ringVersion)).size === 1;
    }, 60_000, 100);
    expect(views.map((v) => v.node)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(new Set(views.map((v) => v.ringVersion)).size).toBe(1);
    expect(views[0].ringVersion).toMatch(/^[0-9a-f]{16}$/);
    for (const v of views) {
      expect(v.replication).toBe(3);
      expect(v.virtualNodesPerNode).toBe(64);
      expect(v.ring).toEqual(views[0].ring);
      expect(v.members.map((m) => [m.id, m.owner, m.apiUrl])).toEqual(nodes.map((n) => [n.id, true, n.api]));
      for (const m of v.members) expect(['alive', 'suspect']).toContain(m.state);
    }
    const ring = views[0].ring;
    expect(ring).toHaveLength(3 * 64);
    for (let i = 1; i < ring.length; i++) expect(BigInt(ring[i - 1].hash) <= BigInt(ring[i].hash)).toBe(true);
    // Every advertised URL reaches that member's client API.
    for (const m of views[0].members) {
      const r = await http('GET', `${m.apiUrl}/v1/topology`, { token: TOKEN });
      expect(r.json().node).toBe(m.id);
    }
  }, 90_000);

  it('publishes the ring the server routes with: owners from the points equal /v1/owners for sample keys', async () => {
    const t = await topologyOf(nodes[0]);
    for (let i = 0; i < 40; i++) {
      const key = `sample-${i}-${'x'.repeat(i % 7)}`;
      const served = (await http('GET', `${nodes[i % 3].api}/v1/owners/${encodeURIComponent(key)}`, { token: TOKEN })).json().owners;
      expect([key, ownersFromRing(t, hasher, key)]).toEqual([key, served]);
    }
  });

  it('needs a token (401 envelope)', async () => {
    const r = await http('GET', `${nodes[0].api}/v1/topology`);
    expect([r.status, r.json()]).toEqual([401, { error: 'unauthorized', code: 'UNAUTHORIZED' }]);
  });

  it('changes ringVersion when a node joins (advertising an explicit address) and again when a killed one is declared dead', async () => {
    const before = (await topologyOf(nodes[0])).ringVersion;
    const joined = await joinNode(nodes, 'node-4', (ports) => ({ ...ENV, HYPERCACHE_API_ADVERTISE_ADDR: `localhost:${ports.api}` }));
    const four = [...nodes, joined];
    let settled: Topology[] = [];
    await until(async () => {
      const views = await Promise.all(four.map(topologyOf));
      const versions = new Set(views.map((v) => v.ringVersion));
      const complete = views.every((v) => v.members.filter((m) => m.owner).length === 4 && v.members.every((m) => m.apiUrl !== null));
      if (versions.size !== 1 || !complete) return false;
      settled = views;
      return true;
    }, 90_000, 100);
    const grown = settled[0].ringVersion;
    expect(grown).not.toBe(before);
    for (const v of settled) {
      expect(v.members.find((m) => m.id === 'node-4')).toMatchObject({ owner: true, apiUrl: `http://localhost:${joined.ports.api}` });
      expect(v.ring).toHaveLength(4 * 64);
    }

    await killNode(nodes[2]);
    const survivors = [nodes[0], nodes[1], joined];
    await until(async () => {
      const views = await Promise.all(survivors.map(topologyOf));
      const dead = views.every((v) => {
        const m = v.members.find((x) => x.id === 'node-3');
        return m === undefined || (m.state === 'dead' && !m.owner);
      });
      const threeOwners = views.every((v) => v.members.filter((m) => m.owner).length === 3);
      if (!dead || !threeOwners || new Set(views.map((v) => v.ringVersion)).size !== 1) return false;
      settled = views;
      return true;
    }, 90_000, 100);
    const shrunk = settled[0].ringVersion;
    expect(shrunk).not.toBe(grown);
    expect(shrunk).not.toBe(before);
    for (const v of settled) expect(new Set(v.ring.map((p) => p.node))).toEqual(new Set(['node-1', 'node-2', 'node-4']));
  }, 240_000);
});
