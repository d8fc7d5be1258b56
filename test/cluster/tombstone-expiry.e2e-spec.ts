import { http } from '../support/http';
import { FAST_HEALING_ENV, isolateNode, startProcessCluster, type ProcNode } from '../support/process-cluster';
import { FAULT_ENTRY } from '../support/server-process';
import { until } from '../support/until';

// Tombstones live 10 s here (purged within 200 ms after that), hints 1 s: a node cut off for longer
// than both comes back with a copy of a key that the others deleted and have since forgotten.
// The cut is the test-only peer switch (fault-node.cjs): every peer call of the node fails and
// every peer request to it is dropped, so the delete cannot reach it. (SIGSTOP does not reproduce
// this: the delete and its hint replays wait in the paused node's socket buffers and apply on
// SIGCONT.)
const ENV = {
  ...FAST_HEALING_ENV,
  HYPERCACHE_TOMBSTONE_TTL: '10s',
  HYPERCACHE_TOMBSTONE_SWEEP: '200ms',
  HYPERCACHE_HINT_TTL: '1s',
  HYPERCACHE_DIST_TIMEOUT: '1s',
};

type Member = { ID: string; State: string };
const members = async (n: ProcNode): Promise<Member[]> => (await http('GET', `${n.mgmt}/cluster/members`)).json().members;
const stat = async (n: ProcNode, name: string): Promise<number> => (await http('GET', `${n.mgmt}/stats`)).json()[name]?.Max ?? 0;
const distMetrics = async (n: ProcNode): Promise<Record<string, number>> => (await http('GET', `${n.mgmt}/dist/metrics`)).json();

/** The node's own stored copy (peer route: no forwarding, no coordination). */
async function storedOn(node: ProcNode, key: string): Promise<boolean> {
  return (await http('GET', `http://127.0.0.1:${node.ports.dist}/internal/get?key=${encodeURIComponent(key)}`)).json().found === true;
}

describe('tombstone expiry: a node cut off for longer than the tombstone TTL (3 real processes, RF 3; docs/decisions.md D19)', () => {
  let nodes: ProcNode[];

  beforeAll(async () => {
    nodes = await startProcessCluster(3, ENV, { entry: FAULT_ENTRY });
  }, 90_000);

  it('never serves the key deleted while it was away: not from itself, not through anti-entropy or read repair on the others', async () => {
    const [n1, n2, n3] = nodes as [ProcNode, ProcNode, ProcNode];
    expect((await http('PUT', `${n1.api}/v1/cache/doomed`, { body: 'stale' })).status).toBe(200);
    expect((await http('PUT', `${n1.api}/v1/cache/kept`, { body: 'fresh' })).status).toBe(200);
    await until(async () => (await storedOn(n3, 'doomed')) && (await storedOn(n3, 'kept')), 15_000, 50);

    await isolateNode(n3, true);
    try {
      await until(async () => (await members(n1)).some((m) => m.ID === n3.id && m.State !== 'alive'), 30_000, 50);
      // The majority deletes the key; its fan-out to the cut-off node fails and is hinted.
      expect((await http('DELETE', `${n1.api}/v1/cache/doomed`)).status).toBe(200);
      for (const n of [n1, n2]) expect((await http('GET', `${n.api}/v1/cache/doomed`)).status).toBe(404);
      // Past the tombstone TTL: the hint for the cut-off node expired and both tombstones are purged.
      let seen = '';
      await until(
        async () => {
          const views = await Promise.all(
            [n1, n2].map(async (n) => ({ hints: await stat(n, 'hint_queue_items'), tombstones: await stat(n, 'tombstones_active'), purged: (await distMetrics(n)).TombstonesPurged, members: (await members(n)).map((m) => `${m.ID}:${m.State}`).join(',') })),
          );
          seen = JSON.stringify(views);
          return views.every((v) => v.hints === 0 && v.tombstones === 0 && v.purged >= 1);
        },
        30_000,
        100,
        () => `last seen on n1, n2: ${seen}; dropped local data: ${nodes.map((n) => n.proc.output().includes('dropped local data')).join(',')}`,
      );
    } finally {
      await isolateNode(n3, false);
    }

    // From the moment it is reachable again, the deleted key must never be readable on any node. The window
    // closes once every node sees all three alive and has run anti-entropy ticks with all of them
    // since (FAST_HEALING_ENV: every 500 ms with every peer), and the cut-off node holds the key
    // that was never deleted again (refilled or kept).
    const readable: string[] = [];
    const checkNoResurrection = async () => {
      for (const n of nodes) {
        const r = await http('GET', `${n.api}/v1/cache/doomed`);
        if (r.status !== 404) readable.push(`${n.id}: ${r.status} ${r.text}`);
      }
    };
    await checkNoResurrection();
    let ticksAtRejoin: number[] | undefined;
    await until(async () => {
      await checkNoResurrection();
      const views = await Promise.all(nodes.map(members));
      if (views.some((v) => v.length !== 3 || v.some((m) => m.State !== 'alive'))) return false;
      const ticks = await Promise.all(nodes.map(async (n) => (await distMetrics(n)).AutoSyncLoops));
      ticksAtRejoin ??= ticks;
      return ticks.every((t, i) => t >= ticksAtRejoin![i]! + 4) && (await storedOn(n3, 'kept'));
    }, 60_000, 100);
    await checkNoResurrection();
    expect(readable).toEqual([]);
    for (const n of nodes) expect(await storedOn(n, 'doomed')).toBe(false);
    expect((await http('GET', `${n3.api}/v1/cache/kept`)).text).toBe('fresh');
    // The rule that held it back: the cut-off node dropped its data (and was refilled).
    expect(n3.proc.output()).toContain('dropped local data');
    for (const n of nodes) expect((await http('GET', `${n.api}/v1/cache/kept`)).text).toBe('fresh');
  }, 150_000);
});
