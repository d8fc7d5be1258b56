import { registeredRoutes } from '@hypercache/http-kit';
import { http } from '../support/http';
import { openSse } from '../support/sse';
import { startInProcessCluster, type TestNode } from '../support/start-node';
import { until } from '../support/until';

const TOKEN = 'mgmt-cluster-token';

/** The `/dist/metrics` fields of management-api.md §5, exactly. */
const DIST_METRIC_FIELDS = `ForwardGet ForwardSet ForwardRemove ReplicaFanoutSet ReplicaFanoutRemove
ReadRepair ReadRepairBatched ReadRepairCoalesced ReplicaGetMiss
HeartbeatSuccess HeartbeatFailure IndirectProbeSuccess IndirectProbeFailure IndirectProbeRefuted
Drains NodesSuspect NodesDead NodesRemoved VersionConflicts VersionTieBreaks ReadPrimaryPromote
HintedQueued HintedReplayed HintedExpired HintedDropped HintedGlobalDropped HintedBytes
MigrationHintQueued MigrationHintReplayed MigrationHintExpired MigrationHintDropped
MigrationHintLastAgeNanos
MerkleSyncs MerkleKeysPulled MerkleBuildNanos MerkleDiffNanos MerkleFetchNanos
AutoSyncLoops LastAutoSyncNanos LastAutoSyncError AutoSyncCleanTicks
AutoSyncBackoffFactor ChaosDrops ChaosLatencies
TombstonesActive TombstonesPurged
WriteQuorumFailures WriteAcks WriteAttempts WriteForwardPromotion WriteApplyRefused
RebalancedKeys RebalanceBatches RebalanceThrottle RebalanceLastNanos
RebalancedReplicaDiff RebalanceReplicaDiffThrottle RebalancedPrimary
MembershipVersion MembersAlive MembersSuspect MembersDead`.split(/\s+/);

describe('management API on a 3-node cluster: every route returns the spec shape', () => {
  let nodes: TestNode[];
  let n1: TestNode;
  const mgmt = (method: string, path: string, node = n1, token: string | null = TOKEN) => http(method, `${node.urls.mgmt}${path}`, { token: token ?? undefined });

  beforeAll(async () => {
    nodes = await startInProcessCluster(3, { HYPERCACHE_AUTH_TOKEN: TOKEN, HYPERCACHE_REPLICATION: '3' });
    n1 = nodes[0];
    await Promise.all(nodes.map((n) => until(async () => (await mgmt('GET', '/readyz', n, null)).status === 200, 10_000)));
    for (let i = 0; i < 10; i++) await http('PUT', `${n1.urls.api}/v1/cache/shape-${i}`, { token: TOKEN, body: `v${i}` });
    await http('GET', `${n1.urls.api}/v1/cache/shape-1`, { token: TOKEN });
  });

  it('GET /health is text ok, without credentials', async () => {
    const r = await mgmt('GET', '/health', n1, null);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.text).toBe('ok');
  });

  it('GET /stats maps stat names to PascalCase aggregates', async () => {
    await mgmt('POST', '/evict');
    await until(async () => Object.keys((await mgmt('GET', '/stats')).json()).length > 0);
    const r = await mgmt('GET', '/stats');
    expect(r.status).toBe(200);
    const stats = r.json();
    for (const agg of Object.values<any>(stats)) {
      expect(Object.keys(agg).sort()).toEqual(['Count', 'Max', 'Mean', 'Median', 'Min', 'Sum', 'Values', 'Variance']);
      expect(agg.Values).toEqual([...agg.Values].sort((a: number, b: number) => a - b));
    }
  });

  it('GET /config has exactly the spec keys', async () => {
    const c = (await mgmt('GET', '/config')).json();
    expect(Object.keys(c).sort()).toEqual(
      ['allocation', 'capacity', 'evictionAlgorithm', 'evictionInterval', 'expirationInterval', 'maxCacheSize', 'replication', 'virtualNodesPerNode'].sort(),
    );
    expect(c).toMatchObject({ replication: 3, virtualNodesPerNode: 64, expirationInterval: '30m0s', evictionAlgorithm: 'lfu' });
  });

  it('GET /dist/metrics has exactly the PascalCase fields of the spec, integers but LastAutoSyncError', async () => {
    const m = (await mgmt('GET', '/dist/metrics')).json();
    expect(Object.keys(m).sort()).toEqual([...DIST_METRIC_FIELDS].sort());
    for (const f of DIST_METRIC_FIELDS) {
      if (f === 'LastAutoSyncError') expect(typeof m[f]).toBe('string');
      else expect(Number.isInteger(m[f])).toBe(true);
    }
    expect(m).toMatchObject({ MembersAlive: 3, MembersSuspect: 0, MembersDead: 0, HintedDropped: 0 });
    expect(m.WriteAttempts).toBeGreaterThanOrEqual(1);
  });

  it('GET /dist/owners?key= lists the owners; without key it is 400 "missing cache key"', async () => {
    const r = await mgmt('GET', '/dist/owners?key=greeting');
    expect(r.json()).toEqual({ key: 'greeting', owners: expect.any(Array) });
    expect([...r.json().owners].sort()).toEqual(['node-1', 'node-2', 'node-3']);
    const bad = await mgmt('GET', '/dist/owners');
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'missing cache key' });
  });

  it('GET /cluster/members: camelCase top level, PascalCase members, the local node included', async () => {
    const r = (await mgmt('GET', '/cluster/members')).json();
    expect(r).toEqual({ replication: 3, virtualNodes: 64, members: expect.any(Array) });
    expect(r.members.map((m: any) => m.ID).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    for (const m of r.members) {
      expect(Object.keys(m).sort()).toEqual(['Address', 'ID', 'Incarnation', 'State']);
      expect(m.State).toBe('alive');
      expect(m.Address).toMatch(/^127\.0\.0\.1:\d+$/);
    }
  });

  it('GET /cluster/ring lists count vnodes as <16 hex>:<nodeID>, ascending', async () => {
    const r = (await mgmt('GET', '/cluster/ring')).json();
    expect(r.count).toBe(3 * 64);
    expect(r.vnodes).toHaveLength(r.count);
    for (const v of r.vnodes) expect(v).toMatch(/^[0-9a-f]{16}:node-[123]$/);
    const hashes = r.vnodes.map((v: string) => BigInt(`0x${v.slice(0, 16)}`));
    for (let i = 1; i < hashes.length; i++) expect(hashes[i] >= hashes[i - 1]).toBe(true);
  });

  it('GET /cluster/heartbeat has the four camelCase counters', async () => {
    const r = (await mgmt('GET', '/cluster/heartbeat')).json();
    expect(Object.keys(r).sort()).toEqual(['heartbeatFailure', 'heartbeatSuccess', 'nodesRemoved', 'readPrimaryPromote']);
    for (const v of Object.values(r)) expect(Number.isInteger(v)).toBe(true);
  });

  it('GET /cluster/events streams retry, a members and a heartbeat snapshot, heartbeats every second and members on change', async () => {
    const s = await openSse(`${nodes[1].urls.mgmt}/cluster/events`, TOKEN);
    try {
      expect(s.status).toBe(200);
      expect(s.headers['content-type']).toBe('text/event-stream');
      expect(s.headers['cache-control']).toBe('no-cache');
      expect(s.headers['x-accel-buffering']).toBe('no');
      await s.waitFor((e) => e.length >= 2);
      expect(s.raw().startsWith('retry: 5000\n\n')).toBe(true);
      expect(s.events[0].event).toBe('members');
      expect(JSON.parse(s.events[0].data)).toEqual((await mgmt('GET', '/cluster/members', nodes[1])).json());
      expect(s.events[1].event).toBe('heartbeat');
      expect(Object.keys(JSON.parse(s.events[1].data)).sort()).toEqual(['heartbeatFailure', 'heartbeatSuccess', 'nodesRemoved', 'readPrimaryPromote']);
      // The 1 s heartbeat ticker.
      await s.waitFor((e) => e.filter((x) => x.event === 'heartbeat').length >= 2, 3_000);
      // A membership state change publishes a members event with the new state.
      nodes[1].node.cluster.membership.markSuspect('node-3');
      await s.waitFor((e) => e.some((x) => x.event === 'members' && JSON.parse(x.data).members.some((m: any) => m.ID === 'node-3' && m.State === 'suspect')));
      nodes[1].node.cluster.membership.markAlive('node-3');
    } finally {
      s.close();
    }
  });

  it('GET /cluster/events numbers its events and resumes from Last-Event-ID without a snapshot, or resets and sends one (issue 17)', async () => {
    const url = `${nodes[2].urls.mgmt}/cluster/events`;
    const first = await openSse(url, TOKEN);
    await first.waitFor((e) => e.some((x) => x.event === 'heartbeat' && x.id !== undefined), 5_000);
    // The snapshot has no id; live events have `<epoch>-<seq>` ids.
    expect(first.events.slice(0, 2).map((e) => [e.event, e.id])).toEqual([
      ['members', undefined],
      ['heartbeat', undefined],
    ]);
    const lastId = first.events.filter((e) => e.id !== undefined).at(-1)!.id!;
    expect(lastId).toMatch(/^[0-9a-f]{16}-\d+$/);
    first.close();
    nodes[2].node.cluster.membership.markSuspect('node-1');
    nodes[2].node.cluster.membership.markAlive('node-1');
    const resumed = await openSse(url, TOKEN, { 'last-event-id': lastId });
    try {
      await resumed.waitFor((e) => e.filter((x) => x.event === 'members').length >= 2, 5_000);
      const seq = (id: string) => Number(id.split('-')[1]);
      // Exactly the events after lastId, in order, all with ids: no snapshot before them.
      expect(resumed.events.every((e) => e.id !== undefined)).toBe(true);
      expect(resumed.events.map((e) => seq(e.id!))).toEqual(resumed.events.map((_, i) => seq(lastId) + 1 + i));
      const states = resumed.events.filter((e) => e.event === 'members').map((e) => JSON.parse(e.data).members.find((m: any) => m.ID === 'node-1').State);
      expect(states.slice(0, 2)).toEqual(['suspect', 'alive']);
    } finally {
      resumed.close();
    }
    const foreign = await openSse(url, TOKEN, { 'last-event-id': 'abc-1' });
    try {
      await foreign.waitFor((e) => e.length >= 3, 5_000);
      expect(foreign.events.slice(0, 3).map((e) => e.event)).toEqual(['reset', 'members', 'heartbeat']);
      expect(JSON.parse(foreign.events[0].data)).toEqual({ reason: 'epoch', node: 'node-3' });
    } finally {
      foreign.close();
    }
  });

  it('GET /metrics answers the Prometheus text format', async () => {
    const r = await mgmt('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.text).toMatch(/^# HELP dist_write_attempts_total /m);
  });

  it('POST /evict and /trigger-expiration answer 202 Accepted; POST /clear answers 200 OK and empties only this node', async () => {
    for (const path of ['/evict', '/trigger-expiration']) {
      const r = await mgmt('POST', path, nodes[2]);
      expect(r.status).toBe(202);
      expect(r.text).toBe('Accepted');
    }
    expect((await mgmt('GET', '/config', nodes[2])).json().allocation).toBeGreaterThan(0);
    const clear = await mgmt('POST', '/clear', nodes[2]);
    expect(clear.status).toBe(200);
    expect(clear.text).toBe('OK');
    expect((await mgmt('GET', '/config', nodes[2])).json().allocation).toBe(0);
    expect((await mgmt('GET', '/config', n1)).json().allocation).toBeGreaterThan(0);
  });

  it.each([
    ['GET', '/stats'],
    ['GET', '/config'],
    ['GET', '/dist/metrics'],
    ['GET', '/dist/owners?key=a'],
    ['GET', '/cluster/members'],
    ['GET', '/cluster/ring'],
    ['GET', '/cluster/heartbeat'],
    ['GET', '/cluster/events'],
    ['GET', '/metrics'],
    ['POST', '/evict'],
    ['POST', '/trigger-expiration'],
    ['POST', '/clear'],
    ['POST', '/dist/drain'],
  ])('%s %s needs the token (401 envelope)', async (method, path) => {
    const r = await mgmt(method, path, n1, null);
    expect(r.status).toBe(401);
    expect(r.json()).toEqual({ error: 'unauthorized', code: 'UNAUTHORIZED' });
  });

  it('documents every management route in the OpenAPI document at /docs-json', async () => {
    const doc = (await mgmt('GET', '/docs-json', n1, null)).json();
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries<any>(doc.paths)) for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${path}`);
    const routes = registeredRoutes(n1.management)
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'))
      .map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThanOrEqual(16);
    for (const r of routes) expect(documented).toContain(r);
    const distSchema = doc.paths['/dist/metrics'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(distSchema.properties).sort()).toEqual([...DIST_METRIC_FIELDS].sort());
    const ui = await mgmt('GET', '/docs', n1, null);
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toMatch(/^text\/html/);
  });

  it('POST /dist/drain on management drains the node: 200 {draining:true}, /readyz 503, Drains 1', async () => {
    const n3 = nodes[2];
    const r = await mgmt('POST', '/dist/drain', n3);
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ draining: true });
    expect((await mgmt('POST', '/dist/drain', n3)).status).toBe(200);
    expect((await mgmt('GET', '/readyz', n3, null)).status).toBe(503);
    expect((await mgmt('GET', '/dist/metrics', n3)).json().Drains).toBe(1);
    expect((await http('GET', `${n3.urls.dist}/health`, { token: TOKEN })).status).toBe(503);
    expect((await http('PUT', `${n3.urls.api}/v1/cache/after-drain`, { token: TOKEN, body: 'x' })).json().code).toBe('DRAINING');
    expect((await mgmt('GET', '/health', n3, null)).text).toBe('ok');
  });

  it('ends open /cluster/events streams when the node shuts down, without holding the listener', async () => {
    const n2 = nodes[1];
    const s = await openSse(`${n2.urls.mgmt}/cluster/events`, TOKEN);
    await s.waitFor((e) => e.length >= 2);
    const t0 = Date.now();
    await n2.close();
    await s.ended;
    expect(Date.now() - t0).toBeLessThan(1_500);
  });
});
