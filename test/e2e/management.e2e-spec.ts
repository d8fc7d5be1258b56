import { http } from '../support/http';
import { startNode, type TestNode } from '../support/start-node';
import { until } from '../support/until';

describe('management API backed by the engine', () => {
  let node: TestNode;
  let nowMs = Date.parse('2026-05-06T10:00:00.000Z');
  const TOKEN = 'mgmt-token';
  const mgmt = (method: string, path: string, token: string | null = TOKEN) => http(method, `${node.urls.mgmt}${path}`, { token: token ?? undefined });
  const api = (method: string, path: string, body?: string) => http(method, `${node.urls.api}${path}`, { token: TOKEN, body });

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_AUTH_TOKEN: TOKEN, HYPERCACHE_CAPACITY: '5' }, { clock: () => nowMs });
  });

  it('reports the effective configuration without secrets', async () => {
    const r = await mgmt('GET', '/config');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      capacity: 5,
      allocation: 0,
      maxCacheSize: 0,
      evictionInterval: '0s',
      expirationInterval: '30m0s',
      evictionAlgorithm: 'lfu',
      replication: 3,
      virtualNodesPerNode: 64,
    });
    expect(r.text).not.toContain(TOKEN);
  });

  it('accounts bytes in /config as values are written and overwritten', async () => {
    await api('PUT', '/v1/cache/a', '12345');
    await api('PUT', '/v1/cache/a', '123');
    expect((await mgmt('GET', '/config')).json().allocation).toBe(3);
  });

  it('holds HYPERCACHE_CAPACITY after every write', async () => {
    for (let i = 0; i < 20; i++) await api('PUT', `/v1/cache/cap-${i}`, 'v');
    const present = await Promise.all(Array.from({ length: 20 }, (_, i) => api('GET', `/v1/cache/cap-${i}`)));
    expect(present.filter((r) => r.status === 200).length).toBeLessThanOrEqual(5);
    expect(present[19].status).toBe(200);
  });

  it('triggers an eviction pass (202) that shows up in /stats with PascalCase aggregates', async () => {
    const r = await mgmt('POST', '/evict');
    expect(r.status).toBe(202);
    expect(r.text).toBe('Accepted');
    await until(async () => (await mgmt('GET', '/stats')).json().eviction_loop_count !== undefined);
    const stat = (await mgmt('GET', '/stats')).json().eviction_loop_count;
    expect(Object.keys(stat).sort()).toEqual(['Count', 'Max', 'Mean', 'Median', 'Min', 'Sum', 'Values', 'Variance']);
    expect(stat.Count).toBeGreaterThanOrEqual(1);
  });

  it('sweeps expired items on /trigger-expiration', async () => {
    await api('PUT', '/v1/cache/ephemeral?ttl=1s', 'x');
    nowMs += 2000;
    expect((await mgmt('POST', '/trigger-expiration')).status).toBe(202);
    await until(async () => ((await mgmt('GET', '/stats')).json().item_expired_count?.Sum ?? 0) >= 1);
  });

  it('clears this node on /clear', async () => {
    await api('PUT', '/v1/cache/to-clear', 'x');
    const r = await mgmt('POST', '/clear');
    expect(r.status).toBe(200);
    expect(r.text).toBe('OK');
    expect((await api('GET', '/v1/cache/to-clear')).status).toBe(404);
    expect((await mgmt('GET', '/config')).json().allocation).toBe(0);
  });

  it.each([
    ['GET', '/stats'],
    ['GET', '/config'],
    ['POST', '/evict'],
    ['POST', '/trigger-expiration'],
    ['POST', '/clear'],
  ])('%s %s needs the token (401 envelope)', async (method, path) => {
    const r = await mgmt(method, path, null);
    expect(r.status).toBe(401);
    expect(r.json().code).toBe('UNAUTHORIZED');
  });

  it('keeps /health public', async () => {
    expect((await mgmt("GET", "/health", null)).text).toBe('ok');
  });
});
