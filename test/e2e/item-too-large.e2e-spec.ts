import { http } from '../support/http';
import { startInProcessCluster, type TestNode } from '../support/start-node';
import { until } from '../support/until';

// HYPERCACHE_MAX_MEMORY across real HTTP peers (batched peer lanes): an item larger than the
// owners' limit answers 413 ITEM_TOO_LARGE wherever it enters — never a 500, never a hint.
const TOKEN = 'tok';
const MiB = 1024 * 1024;

describe('items larger than HYPERCACHE_MAX_MEMORY in a cluster', () => {
  let nodes: TestNode[];
  const owners = async (key: string): Promise<string[]> => (await http('GET', `${nodes[0].urls.api}/v1/owners/${key}`, { token: TOKEN })).json().owners;

  beforeAll(async () => {
    nodes = await startInProcessCluster(3, { HYPERCACHE_AUTH_TOKEN: TOKEN, HYPERCACHE_REPLICATION: '2', HYPERCACHE_MAX_MEMORY: '1MiB' });
    await until(async () => (await owners('probe')).length === 2);
  });

  it('answers 413 ITEM_TOO_LARGE through a forwarder, on the primary and per item in batches; a fitting item is stored', async () => {
    let key = '';
    for (let i = 0; key === ''; i++) if (!(await owners(`big-${i}`)).includes('node-1')) key = `big-${i}`;
    const big = Buffer.alloc(MiB + 1, 7);
    const viaForwarder = await http('PUT', `${nodes[0].urls.api}/v1/cache/${key}`, { token: TOKEN, body: big });
    expect(viaForwarder.status).toBe(413);
    expect(viaForwarder.json().code).toBe('ITEM_TOO_LARGE');
    const [primaryId] = await owners(key);
    const onPrimary = nodes.find((n) => n.config.nodeId === primaryId)!;
    const direct = await http('PUT', `${onPrimary.urls.api}/v1/cache/${key}`, { token: TOKEN, body: big });
    expect(direct.status).toBe(413);
    expect(direct.json().code).toBe('ITEM_TOO_LARGE');

    const batch = await http('POST', `${nodes[0].urls.api}/v1/cache/batch/put`, {
      token: TOKEN,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ key, value: big.toString('base64'), value_encoding: 'base64' }, { key: 'small', value: 'fits' }] }),
    });
    expect(batch.status).toBe(200);
    expect(batch.json().results.map((r: { stored: boolean; code?: string }) => [r.stored, r.code])).toEqual([
      [false, 'ITEM_TOO_LARGE'],
      [true, undefined],
    ]);
    for (const n of nodes) {
      expect((await http('GET', `${n.urls.api}/v1/cache/${key}`, { token: TOKEN })).status).toBe(404);
      expect((await http('GET', `${n.urls.api}/v1/cache/small`, { token: TOKEN })).text).toBe('fits');
      const m = (await http('GET', `${n.urls.mgmt}/dist/metrics`, { token: TOKEN })).json();
      expect(m.HintedQueued).toBe(0);
      expect(m.WriteQuorumFailures).toBe(0);
      expect(m.WriteForwardPromotion).toBe(0); // the primary's 413 is final: no other owner is tried
    }
  });
});
