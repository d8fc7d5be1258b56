import { http } from '../support/http';
import { isolateNode, localCopy as localCopyOf, NO_REPAIR_ENV, startProcessCluster, type ProcNode } from '../support/process-cluster';
import { FAULT_ENTRY } from '../support/server-process';

const TOKEN = 'skew-token';
/** node-2's wall clock runs this far behind the others (test-only, fault-node.cjs). */
const LAG_MS = 30_000;

/** A node's own stored copy of `key`. */
const localCopy = (node: ProcNode, key: string) => localCopyOf(node, key, TOKEN);

/** `dist_write_restamps_total` on `node`'s `/metrics`. */
async function restamps(node: ProcNode): Promise<number> {
  const text = (await http('GET', `${node.mgmt}/metrics`, { token: TOKEN })).text;
  const line = text.split('\n').find((l) => l.startsWith('dist_write_restamps_total'));
  return Number(line?.split(' ').pop() ?? NaN);
}

// docs/decisions.md F15, F16: by default any owner coordinates a QUORUM write of its keys, from its
// own clock. A later write through an owner whose clock is far behind, and which never received the
// earlier write, must still win: the replicas refuse it as stale and it is issued again above them.
describe('owner coordination under a 30 s clock skew (3 real processes, RF 3, default coordinator)', () => {
  let nodes: ProcNode[];
  const put = (n: ProcNode, key: string, body: string) => http('PUT', `${n.api}/v1/cache/${key}`, { body, token: TOKEN });

  beforeAll(async () => {
    nodes = await startProcessCluster(
      3,
      {
        HYPERCACHE_AUTH_TOKEN: TOKEN,
        HYPERCACHE_REPLICATION: '3',
        TEST_CLOCK_OFFSETS: `node-2:-${LAG_MS}`,
        ...NO_REPAIR_ENV, // nothing may hand node-2 the first write behind the test's back
      },
      { entry: FAULT_ENTRY },
    );
  }, 150_000);

  /** v1 of a fresh key, acknowledged by node-1 and node-3 while node-2 is cut off. */
  async function writtenWithoutLagging(key: string): Promise<number> {
    const [first, lagging] = nodes as [ProcNode, ProcNode, ProcNode];
    await isolateNode(lagging, true);
    try {
      expect((await put(first, key, 'v1')).status).toBe(200);
    } finally {
      await isolateNode(lagging, false);
    }
    expect(await localCopy(lagging, key)).toBeUndefined();
    return (await localCopy(first, key))!.version;
  }

  it('a later PUT through the lagging owner wins on every owner', async () => {
    const lagging = nodes[1]!;
    const v1 = await writtenWithoutLagging('skew-put');
    const before = await restamps(lagging);
    const r = await put(lagging, 'skew-put', 'v2');
    expect([r.status, r.json().owners.length]).toEqual([200, 3]);
    const copies = await Promise.all(nodes.map((n) => localCopy(n, 'skew-put')));
    expect(copies.map((c) => [c?.value, c?.origin])).toEqual(nodes.map(() => ['v2', 'node-2']));
    for (const c of copies) expect(c!.version).toBeGreaterThan(v1);
    for (const n of nodes) expect((await http('GET', `${n.api}/v1/cache/skew-put`, { token: TOKEN })).text).toBe('v2');
    expect(await restamps(lagging)).toBe(before + 1);
  }, 60_000);

  it('a later DELETE through the lagging owner removes the key on every owner', async () => {
    const lagging = nodes[1]!;
    await writtenWithoutLagging('skew-del');
    expect((await http('DELETE', `${lagging.api}/v1/cache/skew-del`, { token: TOKEN })).status).toBe(200);
    for (const n of nodes) {
      expect(await localCopy(n, 'skew-del')).toBeUndefined();
      expect((await http('GET', `${n.api}/v1/cache/skew-del`, { token: TOKEN })).status).toBe(404);
    }
  }, 60_000);
});
