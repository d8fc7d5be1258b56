import { http } from '../support/http';
import { startInProcessCluster, type TestNode } from '../support/start-node';

describe('GET /v1/cache/keys: cluster-wide key browser (3 nodes, RF 2)', () => {
  let nodes: TestNode[];
  const keys = (n: TestNode, query: string) => http('GET', `${n.urls.api}/v1/cache/keys${query}`);

  beforeAll(async () => {
    nodes = await startInProcessCluster(3, { HYPERCACHE_REPLICATION: '2', HYPERCACHE_MERKLE_SYNC_INTERVAL: '0' });
    for (let i = 0; i < 50; i++) expect((await http('PUT', `${nodes[i % 3].urls.api}/v1/cache/lk-${i}`, { body: 'v' })).status).toBe(200);
    for (const k of ['a1', 'b2', 'c3', 'user/42', 'user42']) await http('PUT', `${nodes[0].urls.api}/v1/cache/${encodeURIComponent(k)}`, { body: 'v' });
  });

  it('merges every node once (replicas deduplicated), sorted by byte order (acceptance #27)', async () => {
    for (const n of nodes) {
      const r = (await keys(n, '?q=lk-&limit=500')).json();
      expect(r.total_matched).toBe(50);
      expect(r.truncated).toBe(false);
      expect(r.keys).toEqual(Array.from({ length: 50 }, (_, i) => `lk-${i}`).sort());
      expect(r.next_cursor).toBe('');
      expect(r.node).toBe(n.config.nodeId);
      expect(r).not.toHaveProperty('partial_nodes');
    }
  });

  it('pages with an offset cursor (acceptance #28)', async () => {
    const seen: string[] = [];
    let cursor = '0';
    let pages = 0;
    while (cursor !== '') {
      const r = (await keys(nodes[1], `?q=lk-&limit=20&cursor=${cursor}`)).json();
      seen.push(...r.keys);
      cursor = r.next_cursor;
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(50);
  });

  it('filters by glob with Go path.Match semantics (acceptance #29)', async () => {
    expect((await keys(nodes[0], '?q=lk-1%3F')).json().keys).toEqual(Array.from({ length: 10 }, (_, i) => `lk-1${i}`));
    expect((await keys(nodes[0], '?q=%5Bab%5D*')).json().keys).toEqual(['a1', 'b2']);
    expect((await keys(nodes[0], '?q=user*')).json().keys).toEqual(['user42']);
    expect((await keys(nodes[0], '?q=user')).json().keys).toEqual(['user/42', 'user42']);
  });

  it('validates parameters and clamps (acceptance #31–#33)', async () => {
    const bad = await keys(nodes[0], '?q=%5B');
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST' });
    expect(bad.json().error).toMatch(/invalid glob pattern/);
    expect((await keys(nodes[0], '?cursor=-1')).json()).toEqual({ error: 'invalid cursor: must be a non-negative integer', code: 'BAD_REQUEST' });
    expect((await keys(nodes[0], '?limit=0')).json()).toEqual({ error: 'invalid limit: must be a positive integer', code: 'BAD_REQUEST' });
    expect((await keys(nodes[0], '?max=x')).status).toBe(400);
    const big = await keys(nodes[0], '?limit=9999');
    expect(big.status).toBe(200);
    expect(big.json().keys.length).toBeLessThanOrEqual(500);
    expect((await keys(nodes[0], '?q=lk-&max=10')).json()).toMatchObject({ total_matched: 10, truncated: true });
    expect((await keys(nodes[0], '?cursor=100000')).json()).toMatchObject({ keys: [], next_cursor: '' });
  });

  it('does not shadow a key named "keys" for PUT/HEAD (acceptance #15)', async () => {
    expect((await http('PUT', `${nodes[0].urls.api}/v1/cache/keys`, { body: 'k' })).status).toBe(200);
    expect((await http('HEAD', `${nodes[0].urls.api}/v1/cache/keys`)).status).toBe(200);
    expect((await keys(nodes[0], '')).json()).toHaveProperty('total_matched');
  });
});
