import { encodeBatchRequest, decodeBatchResponse, type BatchOp } from '@hypercache/transport';
import type { ClusterParts } from '@hypercache/node';
import { http } from '../support/http';
import { startInProcessCluster, type TestNode } from '../support/start-node';

const MSGPACK = { 'content-type': 'application/msgpack' };

function item(key: string, value: string, version: number, origin = 'node-x') {
  return { key, value: Buffer.from(value), version, origin, ttlMs: 0, expiresAtMs: 0, lastUpdatedMs: 0 };
}

function cluster(node: TestNode): ClusterParts {
  return node.node.cluster;
}

describe('batched peer calls (POST /internal/batch) in a real cluster', () => {
  it('replicates 300 concurrent PUTs entering through every node in batches; every owner holds the exact bytes', async () => {
    const nodes = await startInProcessCluster(3, { HYPERCACHE_REPLICATION: '3' });
    const value = (i: number) => Buffer.from([i & 0xff, 0, 0xff, 0xc3, 0x28]);
    // Writes enter through all three nodes, so nodes forward to each other in both directions at once.
    const puts = await Promise.all(
      Array.from({ length: 300 }, (_, i) => http('PUT', `${nodes[i % 3]!.urls.api}/v1/cache/bk-${i}`, { body: value(i) })),
    );
    // Failed writes are shown with their status and error code.
    expect(puts.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);
    // No batch waited on another until the peer timeout: a timed-out replica write would be hinted.
    for (const n of nodes) {
      const m = (await http('GET', `${n.urls.mgmt}/dist/metrics`)).json();
      expect([m.HintedQueued, m.WriteQuorumFailures]).toEqual([0, 0]);
    }
    for (const n of nodes) {
      const engine = n.node.engine;
      for (let i = 0; i < 300; i++) expect(engine.get(`bk-${i}`)?.equals(value(i))).toBe(true);
    }
    const stats = nodes.map((n) => cluster(n).transport.batchStats);
    const batches = stats.reduce((s, x) => s + x.batches, 0);
    const ops = stats.reduce((s, x) => s + x.operations, 0);
    // 300 writes: ~200 forwards to their primary and 600 replica sets, in far fewer calls.
    expect(ops).toBeGreaterThanOrEqual(600);
    // How much coalesces depends on timing (unit specs pin the coalescing itself); here every
    // peer write went through the batch route.
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThanOrEqual(ops);
  });

  it('keeps working with batching off (HYPERCACHE_DIST_BATCH_MAX_OPS=0)', async () => {
    const nodes = await startInProcessCluster(3, { HYPERCACHE_REPLICATION: '3', HYPERCACHE_DIST_BATCH_MAX_OPS: '0' });
    await Promise.all(Array.from({ length: 20 }, (_, i) => http('PUT', `${nodes[1]!.urls.api}/v1/cache/s-${i}`, { body: `v${i}` })));
    for (const n of nodes) for (let i = 0; i < 20; i++) expect((await http('GET', `${n.urls.api}/v1/cache/s-${i}`)).text).toBe(`v${i}`);
    expect(cluster(nodes[1]!).transport.batchStats.batches).toBe(0);
  });

  it('answers per operation: applied, stale dropped, not owner → 404; malformed bodies and missing tokens are refused', async () => {
    const nodes = await startInProcessCluster(2, { HYPERCACHE_REPLICATION: '1', HYPERCACHE_AUTH_TOKEN: 'tok' });
    const [n1] = nodes;
    let foreign = '';
    let own = '';
    for (let i = 0; !foreign || !own; i++) {
      const owners: string[] = (await http('GET', `${n1!.urls.api}/v1/owners/k${i}`, { token: 'tok' })).json().owners;
      if (owners[0] === 'node-1') own ||= `k${i}`;
      else foreign ||= `k${i}`;
    }
    const ops: BatchOp[] = [
      { kind: 'set', item: item(own, 'new', 50), replicate: false },
      { kind: 'set', item: item(own, 'stale', 10), replicate: false },
      { kind: 'set', item: item(foreign, 'x', 0, ''), replicate: true },
      { kind: 'remove', key: 'absent', replicate: false, version: 7, origin: 'node-x' },
    ];
    const r = await http('POST', `${n1!.urls.dist}/internal/batch`, { body: encodeBatchRequest(ops), headers: MSGPACK, token: 'tok' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('application/msgpack');
    const results = decodeBatchResponse(r.body, 4);
    expect(results[0]).toBeUndefined();
    expect(results[1]).toBeUndefined();
    expect(results[2]).toEqual({ status: 404, code: 'NOT_FOUND', error: 'not owner' });
    expect(results[3]).toBeUndefined();
    expect(n1!.node.engine.get(own)?.toString()).toBe('new');

    const bad = await http('POST', `${n1!.urls.dist}/internal/batch`, { body: Buffer.from([0x93, 0x01]), headers: MSGPACK, token: 'tok' });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_REQUEST' });
    const anonymous = await http('POST', `${n1!.urls.dist}/internal/batch`, { body: encodeBatchRequest(ops), headers: MSGPACK });
    expect(anonymous.status).toBe(401);
  });
});
