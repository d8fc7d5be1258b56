import { HypercacheClient, type ClusterEvent } from '@hypercache/client';
import { metricSum } from '../support/node-metrics';
import { FAST_HEALING_ENV, startProcessCluster, type ProcNode } from '../support/process-cluster';
import { until } from '../support/until';

const TOKEN = 'sdk-token';

describe('@hypercache/client: the whole client API against a real 3-node cluster with a token (issue 17)', () => {
  let nodes: ProcNode[];
  let client: HypercacheClient;

  beforeAll(async () => {
    nodes = await startProcessCluster(3, { HYPERCACHE_AUTH_TOKEN: TOKEN, ...FAST_HEALING_ENV });
    client = new HypercacheClient({ endpoints: [nodes[0].api], token: TOKEN });
    // Every member's client API URL travels by gossip.
    await until(async () => (await client.topology()).members.filter((m) => m.apiUrl !== null).length === 3, 90_000, 200);
  }, 180_000);

  afterAll(async () => {
    await client?.close();
  });

  it('loads the topology and computes the same owners as every node', async () => {
    const t = await client.topology();
    expect(t.members.map((m) => m.id).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    for (let i = 0; i < 20; i++) {
      const key = `owners-${i}`;
      const server = await client.owners(key);
      expect(client.localOwners(key)).toEqual(server.owners);
    }
  });

  it('refreshes the topology once for every concurrent caller (single flight)', async () => {
    const before = client.topologyRefreshes;
    const all = await Promise.all(Array.from({ length: 20 }, () => client.topology()));
    expect(client.topologyRefreshes - before).toBe(1);
    expect(new Set(all).size).toBe(1);
  });

  it('puts and gets bytes, strings and JSON, with a TTL, and reads a miss as null', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    const put = await client.put('bin', bytes);
    expect(put).toMatchObject({ key: 'bin', stored: true, bytes: 5 });
    // Routed: the primary itself handled the write.
    expect(put.node).toBe(put.owners[0]);
    expect(await client.get('bin')).toEqual(bytes);
    await client.put('str', 'héllo', { ttlMs: 60_000 });
    expect(await client.getString('str')).toBe('héllo');
    await client.putJson('obj', { a: [1, 2], b: 'x' });
    expect(await client.getJson('obj')).toEqual({ a: [1, 2], b: 'x' });
    expect(await client.get('never-written')).toBeNull();
    expect(await client.getItem('never-written')).toBeNull();
    expect(await client.head('never-written')).toBeNull();
  });

  it('reads the item envelope and HEAD metadata with the same version and TTL', async () => {
    await client.put('meta', 'v', { ttlMs: 120_000 });
    const item = await client.getItem('meta');
    expect(item).toMatchObject({ key: 'meta', version: expect.any(Number), owners: client.localOwners('meta') });
    expect(item!.value.toString()).toBe('v');
    expect(item!.ttlMs).toBeGreaterThan(100_000);
    const head = await client.head('meta');
    expect(head).toMatchObject({ version: item!.version, owners: client.localOwners('meta') });
    expect(head!.ttlMs).toBeGreaterThan(100_000);
  });

  it('expires a key after its TTL', async () => {
    await client.put('short', 'x', { ttlMs: 300 });
    await until(async () => (await client.get('short')) === null, 10_000);
  });

  it('deletes idempotently', async () => {
    await client.put('gone', 'x');
    expect(await client.delete('gone')).toMatchObject({ key: 'gone', deleted: true });
    expect(await client.get('gone')).toBeNull();
    expect(await client.delete('gone')).toMatchObject({ deleted: true });
  });

  it('batch puts, gets and deletes in input order, across primaries', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `batch-${i}`);
    const put = await client.putMany(keys.map((key, i) => ({ key, value: i % 2 ? `v${i}` : Buffer.from([i]), ttlMs: i === 0 ? 60_000 : undefined })));
    expect(put.map((r) => [r.key, r.stored])).toEqual(keys.map((k) => [k, true]));
    const got = await client.getMany([...keys, 'batch-missing']);
    expect(got.map((r) => r.key)).toEqual([...keys, 'batch-missing']);
    expect(got[1].value!.toString()).toBe('v1');
    expect(got[2].value).toEqual(Buffer.from([2]));
    expect(got[30].found).toBe(false);
    const del = await client.deleteMany(keys.slice(0, 10));
    expect(del.every((r) => r.deleted)).toBe(true);
    expect((await client.getMany(keys.slice(0, 10))).every((r) => !r.found)).toBe(true);
    expect(await client.getMany([])).toEqual([]);
  });

  it('browses keys by prefix as an async iterator over several pages', async () => {
    await client.putMany(Array.from({ length: 25 }, (_, i) => ({ key: `browse/${String(i).padStart(2, '0')}`, value: 'x' })));
    const seen: string[] = [];
    for await (const k of client.keys({ q: 'browse/', limit: 7 })) seen.push(k);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `browse/${String(i).padStart(2, '0')}`));
  });

  it('reports the identity and capabilities', async () => {
    expect(await client.me()).toMatchObject({ scopes: expect.arrayContaining(['read', 'write']) });
    expect(await client.can('cache.write')).toBe(true);
  });

  it('maps server errors to typed errors by code', async () => {
    const anon = new HypercacheClient({ endpoints: [nodes[1].api], routing: 'pinned' });
    try {
      await expect(anon.get('x')).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401, name: 'UnauthorizedError' });
    } finally {
      await anon.close();
    }
    await expect(client.keys({ q: '[' }).next()).rejects.toMatchObject({ code: 'BAD_REQUEST', name: 'BadRequestError' });
    await expect(client.put('  ', 'x')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('honours a per-call AbortSignal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(client.get('bin', { signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('streams set and delete events from every member, deduplicated by key and version', async () => {
    const events = client.events();
    const got: ClusterEvent[] = [];
    const reader = (async () => {
      for await (const e of events) got.push(e);
    })();
    await until(() => events.healthy, 20_000);
    await client.put('ev-key', 'v1');
    await client.delete('ev-key');
    await until(() => got.some((e) => e.kind === 'change' && e.type === 'delete' && e.key === 'ev-key'), 10_000);
    const sets = got.filter((e) => e.kind === 'change' && e.type === 'set' && e.key === 'ev-key');
    // One write lands on three owners' streams; the client reports it once.
    expect(sets).toHaveLength(1);
    expect(Object.keys(events.resumePoints()).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    await events.close();
    await reader;
  });

  it('sends each write straight to the primary: no node forwards, the primary answers every PUT', async () => {
    const forwards = async (): Promise<number> => (await Promise.all(nodes.map((n) => metricSum(n.mgmt, TOKEN, 'dist_forward_set_total')))).reduce((a, b) => a + b, 0);
    const puts = (n: ProcNode): Promise<number> => metricSum(n.mgmt, TOKEN, 'http_server_requests_total', { listener: 'api', method: 'PUT', status: '200' });
    const key = 'routed-key';
    const primary = nodes.find((n) => n.id === client.localOwners(key)[0])!;
    const [f0, p0] = [await forwards(), await puts(primary)];
    for (let i = 0; i < 20; i++) await client.put(key, `v${i}`);
    expect((await forwards()) - f0).toBe(0);
    expect((await puts(primary)) - p0).toBe(20);
  });
});
