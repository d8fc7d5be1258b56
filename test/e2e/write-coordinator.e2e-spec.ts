import { http } from '../support/http';
import { startInProcessCluster } from '../support/start-node';

// HYPERCACHE_WRITE_COORDINATOR=owner (docs/decisions.md F15): every node owns every key here
// (3 nodes, RF 3), so the node a write enters through coordinates it: it issues the version, stores
// the item and replicates it; nothing is forwarded.
describe('HYPERCACHE_WRITE_COORDINATOR=owner in a real cluster', () => {
  it('coordinates writes and deletes on the owner they enter through: one version on every owner, no forwards', async () => {
    const nodes = await startInProcessCluster(3, { HYPERCACHE_REPLICATION: '3', HYPERCACHE_WRITE_COORDINATOR: 'owner' });
    const entry = nodes[1]!;
    const keys = Array.from({ length: 60 }, (_, i) => `wc-${i}`);
    const puts = await Promise.all(keys.map((k) => http('PUT', `${entry.urls.api}/v1/cache/${k}`, { body: `value of ${k}` })));
    expect(puts.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    expect(puts.every((r) => r.json().owners.length === 3)).toBe(true);

    const metrics = (await http('GET', `${entry.urls.mgmt}/dist/metrics`)).json();
    expect([metrics.ForwardSet, metrics.WriteQuorumFailures]).toEqual([0, 0]);
    for (const k of keys) {
      const stamps = new Set<string>();
      for (const n of nodes) {
        const got = (await http('GET', `${n.urls.dist}/internal/get?key=${k}`)).json();
        expect(got.found).toBe(true);
        expect(Buffer.from(got.item.Value, 'base64').toString()).toBe(`value of ${k}`);
        stamps.add(`${got.item.Version}/${got.item.Origin}`);
      }
      // The same version and origin everywhere: the entry node's.
      expect([...stamps]).toEqual([expect.stringMatching(new RegExp(`/${entry.config.nodeId}$`))]);
    }

    const deletes = await Promise.all(keys.map((k) => http('DELETE', `${entry.urls.api}/v1/cache/${k}`)));
    expect(deletes.every((r) => r.status === 200)).toBe(true);
    for (const n of nodes) for (const k of keys) expect((await http('GET', `${n.urls.api}/v1/cache/${k}`)).status).toBe(404);
  });
});
