import { http } from '../support/http';
import { restartInProcessNode, startInProcessCluster, type TestNode } from '../support/start-node';
import { until } from '../support/until';

/** A key whose primary is `primary` on this cluster, found through the owners route. */
async function keyWithPrimary(node: TestNode, primary: string, prefix: string): Promise<{ key: string; owners: string[] }> {
  for (let i = 0; ; i++) {
    const owners: string[] = (await http('GET', `${node.urls.api}/v1/owners/${prefix}${i}`)).json().owners;
    if (owners[0] === primary) return { key: `${prefix}${i}`, owners };
  }
}

describe('3-node cluster in one process over real HTTP (RF 3)', () => {
  it('hints a write for a stopped replica and replays it when the replica returns', async () => {
    const nodes = await startInProcessCluster(3, { HYPERCACHE_REPLICATION: '3', HYPERCACHE_HINT_REPLAY: '50ms' });
    const [n1, , n3] = nodes;
    const { key } = await keyWithPrimary(n1, 'node-1', 'hint-');
    await n3.close();
    const put = await http('PUT', `${n1.urls.api}/v1/cache/${key}`, { body: 'while-away' });
    expect(put.status).toBe(200);
    expect((await http('GET', `${n1.urls.mgmt}/dist/metrics`)).json().HintedQueued).toBeGreaterThanOrEqual(1);
    const back = await restartInProcessNode(n3);
    await until(() => back.node.engine.get(key)?.toString() === 'while-away', 10_000);
    await until(async () => (await http('GET', `${n1.urls.mgmt}/dist/metrics`)).json().HintedReplayed >= 1, 10_000);
  });

  it('fails a QUORUM write with 500 INTERNAL when two of three owners are down, and never stores it as acknowledged', async () => {
    const nodes = await startInProcessCluster(3, { HYPERCACHE_REPLICATION: '3' });
    const [n1, n2, n3] = nodes;
    await n2.close();
    await n3.close();
    const r = await http('PUT', `${n1.urls.api}/v1/cache/q`, { body: 'x' });
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({ error: 'consistency quorum not achieved', code: 'INTERNAL' });
    expect((await http('GET', `${n1.urls.mgmt}/dist/metrics`)).json().WriteQuorumFailures).toBe(1);
  });

  it('keeps a delete: a stale copy arriving late over the peer protocol cannot resurrect the key', async () => {
    const nodes = await startInProcessCluster(3, { HYPERCACHE_REPLICATION: '3', HYPERCACHE_READ_CONSISTENCY: 'QUORUM' });
    const [n1, n2, n3] = nodes;
    const { key } = await keyWithPrimary(n1, 'node-1', 'tomb-');
    await http('PUT', `${n1.urls.api}/v1/cache/${key}`, { body: 'old' });
    const version = Number((await http('HEAD', `${n1.urls.api}/v1/cache/${key}`)).headers['x-cache-version']);
    expect((await http('DELETE', `${n2.urls.api}/v1/cache/${key}`)).status).toBe(200);
    // A late hint / repair carrying the pre-delete version, as a replica that missed the delete would send.
    const stale = { key, value: Buffer.from('old').toString('base64'), expiration_ms: 0, version, origin: 'node-1', replicate: false };
    const r = await http('POST', `${n3.urls.dist}/internal/set`, { body: JSON.stringify(stale), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    for (const n of nodes) expect((await http('GET', `${n.urls.api}/v1/cache/${key}`)).status).toBe(404);
    // A genuinely newer write is accepted again.
    expect((await http('PUT', `${n3.urls.api}/v1/cache/${key}`, { body: 'new' })).status).toBe(200);
    for (const n of nodes) expect((await http('GET', `${n.urls.api}/v1/cache/${key}`)).text).toBe('new');
  });

  it('drains through POST /dist/drain: writes answer 503 DRAINING, reads continue, dist /health is 503', async () => {
    const [n1, n2] = await startInProcessCluster(2, { HYPERCACHE_REPLICATION: '2' });
    await http('PUT', `${n1.urls.api}/v1/cache/before`, { body: 'v' });
    const drain = await http('POST', `${n1.urls.dist}/dist/drain`);
    expect(drain.status).toBe(200);
    expect(drain.json()).toEqual({ draining: true });
    expect((await http('POST', `${n1.urls.dist}/dist/drain`)).status).toBe(200);
    const put = await http('PUT', `${n1.urls.api}/v1/cache/after`, { body: 'v' });
    expect(put.status).toBe(503);
    expect(put.json()).toEqual({ error: 'node is draining; redirect to a peer', code: 'DRAINING' });
    const batch = await http('POST', `${n1.urls.api}/v1/cache/batch/put`, { body: JSON.stringify({ items: [{ key: 'b', value: 'v' }] }) });
    expect(batch.json().results[0]).toMatchObject({ stored: false, code: 'DRAINING' });
    expect((await http('GET', `${n1.urls.api}/v1/cache/before`)).text).toBe('v');
    expect((await http('GET', `${n1.urls.dist}/health`)).status).toBe(503);
    expect((await http('GET', `${n1.urls.api}/healthz`)).status).toBe(200);
    expect((await http('GET', `${n1.urls.mgmt}/dist/metrics`)).json().Drains).toBe(1);
    // Peer traffic still flows to the drained node.
    expect((await http('PUT', `${n2.urls.api}/v1/cache/peer-write`, { body: 'p' })).status).toBe(200);
  });
});
