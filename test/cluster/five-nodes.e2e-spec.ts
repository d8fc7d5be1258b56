import { http } from '../support/http';
import { killNode, startProcessCluster, type ProcNode } from '../support/process-cluster';

const TOKEN = 'cluster-token';

describe('5 real node processes, RF 3', () => {
  let nodes: ProcNode[];
  const on = (n: ProcNode, method: string, path: string, body?: Buffer | string, headers?: Record<string, string>) =>
    http(method, `${n.api}${path}`, { body, token: TOKEN, headers });

  beforeAll(async () => {
    nodes = await startProcessCluster(5, { HYPERCACHE_AUTH_TOKEN: TOKEN });
  }, 150_000);

  it('reads a value written on node 1 byte-identical on every node, with the primary as origin', async () => {
    const value = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x41, 0]);
    const put = await on(nodes[0], 'PUT', '/v1/cache/greeting%2Fbin', value);
    expect(put.status).toBe(200);
    const owners: string[] = put.json().owners;
    expect(owners).toHaveLength(3);
    for (const n of nodes) {
      const r = await on(n, 'GET', '/v1/cache/greeting%2Fbin');
      expect(r.status).toBe(200);
      expect(r.body.equals(value)).toBe(true);
      const env = (await on(n, 'GET', '/v1/cache/greeting%2Fbin', undefined, { accept: 'application/json' })).json();
      expect(env.origin).toBe(owners[0]);
      expect(env.version).toBeGreaterThan(0);
      expect(env.owners).toEqual(owners);
    }
  });

  it('agrees on owners with the upstream golden vectors', async () => {
    for (const [key, owners] of [
      ['greeting', ['node-5', 'node-4', 'node-1']],
      ['user:42', ['node-2', 'node-4', 'node-3']],
    ] as const) {
      for (const n of nodes) expect((await on(n, 'GET', `/v1/owners/${encodeURIComponent(key)}`)).json().owners).toEqual(owners);
    }
  });

  it('deletes through any node: 404 everywhere afterwards', async () => {
    await on(nodes[1], 'PUT', '/v1/cache/doomed', 'x');
    expect((await on(nodes[3], 'DELETE', '/v1/cache/doomed')).status).toBe(200);
    for (const n of nodes) expect((await on(n, 'GET', '/v1/cache/doomed')).status).toBe(404);
  });

  it('serves 200 keys written round-robin from every node, and every node agrees on their owners', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `rr-${i}`);
    for (let i = 0; i < keys.length; i++) {
      expect((await on(nodes[i % 5], 'PUT', `/v1/cache/${keys[i]}`, `value-${i}`)).status).toBe(200);
    }
    for (const n of nodes) {
      const r = await on(n, 'POST', '/v1/cache/batch/get', JSON.stringify({ keys }));
      const results: Array<{ found: boolean; value: string; owners: string[] }> = r.json().results;
      expect(results.map((x) => x.found && Buffer.from(x.value, 'base64').toString())).toEqual(keys.map((_, i) => `value-${i}`));
    }
    for (const key of keys.slice(0, 20)) {
      const views = await Promise.all(nodes.map(async (n) => (await on(n, 'GET', `/v1/owners/${key}`)).json().owners));
      for (const v of views) expect(v).toEqual(views[0]);
    }
  }, 60_000);

  it('answers 404 NOT_FOUND on every node after a DELETE through a non-primary', async () => {
    const key = 'delete-me';
    const owners: string[] = (await on(nodes[0], 'PUT', `/v1/cache/${key}`, 'x')).json().owners;
    const nonPrimary = nodes.find((n) => n.id !== owners[0])!;
    expect((await on(nonPrimary, 'DELETE', `/v1/cache/${key}`)).json()).toMatchObject({ deleted: true });
    for (const n of nodes) {
      const r = await on(n, 'GET', `/v1/cache/${key}`);
      expect(r.status).toBe(404);
      expect(r.json().code).toBe('NOT_FOUND');
    }
  });

  it('batch writes on one node are readable on another', async () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ key: `b-${i}`, value: `v-${i}` }));
    const r = await on(nodes[2], 'POST', '/v1/cache/batch/put', JSON.stringify({ items }));
    expect(r.json().results.every((x: { stored: boolean }) => x.stored)).toBe(true);
    const got = await on(nodes[4], 'POST', '/v1/cache/batch/get', JSON.stringify({ keys: items.map((i) => i.key) }));
    expect(got.json().results.map((x: { value: string }) => Buffer.from(x.value, 'base64').toString())).toEqual(items.map((i) => i.value));
  });

  it('keeps writing with one owner SIGKILLed and fails QUORUM with two of three owners gone', async () => {
    // "greeting" is owned by node-5, node-4, node-1 (golden vector).
    await killNode(nodes[3]); // node-4
    const oneDown = await on(nodes[1], 'PUT', '/v1/cache/greeting', 'still-writable');
    expect(oneDown.status).toBe(200);
    expect((await on(nodes[2], 'GET', '/v1/cache/greeting')).text).toBe('still-writable');
    await killNode(nodes[4]); // node-5, the primary
    // QUORUM durability: the write was acknowledged by exactly node-5 and node-1; with node-5 gone
    // too, node-1's copy still answers, through any node.
    for (const n of [nodes[0], nodes[1], nodes[2]]) {
      const r = await on(n, 'GET', '/v1/cache/greeting');
      expect([r.status, r.text]).toEqual([200, 'still-writable']);
    }
    const twoDown = await on(nodes[1], 'PUT', '/v1/cache/greeting', 'no-quorum');
    expect(twoDown.status).toBe(500);
    expect(twoDown.json().code).toBe('INTERNAL');
    expect(twoDown.json().error).toMatch(/quorum/);
  }, 30_000);
});
