import { http } from '../support/http';
import { isolateNode, killNode, localCopy as localCopyOf, NO_REPAIR_ENV, startProcessCluster, type ProcNode } from '../support/process-cluster';
import { FAULT_ENTRY } from '../support/server-process';

const TOKEN = 'hlc-token';
/** node-2's wall clock runs this far behind the others (test-only, fault-node.cjs). */
const LAG_MS = 30_000;

/** A node's own stored copy of `key`. */
const localCopy = (node: ProcNode, key: string) => localCopyOf(node, key, TOKEN);

// dist-protocol.md §4 TS MUST (docs/decisions.md D5, S10): versions come from a hybrid logical
// clock folded with every version a node applies, so a node whose wall clock is behind still
// issues versions above everything it has seen. Upstream's counter is never merged.
describe('hybrid logical clock across a primary change (3 real processes, RF 3)', () => {
  let nodes: ProcNode[];
  const put = (n: ProcNode, key: string, body: string) => http('PUT', `${n.api}/v1/cache/${key}`, { body, token: TOKEN });

  beforeAll(async () => {
    nodes = await startProcessCluster(
      3,
      {
        HYPERCACHE_AUTH_TOKEN: TOKEN,
        TEST_CLOCK_OFFSETS: `node-2:-${LAG_MS}`,
        // The primary coordinates every write (upstream's way): what this spec is about. Owner
        // coordination under skew: clock-skew.e2e-spec.ts.
        HYPERCACHE_WRITE_COORDINATOR: 'primary',
        ...NO_REPAIR_ENV, // nothing may hand node-2 the first write behind the test's back
      },
      { entry: FAULT_ENTRY },
    );
  }, 150_000);

  /** A key whose owners start with `order` (primary first). */
  async function keyOwnedBy(order: string[], prefix: string): Promise<string> {
    for (let i = 0; ; i++) {
      const owners: string[] = (await http('GET', `${nodes[0].api}/v1/owners/${prefix}${i}`, { token: TOKEN })).json().owners;
      if (order.every((id, j) => owners[j] === id)) return `${prefix}${i}`;
    }
  }

  it('a write entering through a non-primary gets a version ≥ 1 and the primary as origin on every owner', async () => {
    const key = await keyOwnedBy(['node-1'], 'via-replica-');
    expect((await put(nodes[2], key, 'v')).status).toBe(200);
    for (const n of nodes) expect(await localCopy(n, key)).toEqual({ value: 'v', version: expect.any(Number), origin: 'node-1' });
    expect((await localCopy(nodes[0], key))!.version).toBeGreaterThanOrEqual(1);
  });

  it('a promoted owner whose wall clock is behind does not lose an acknowledged write', async () => {
    const [primary, lagging, third] = nodes as [ProcNode, ProcNode, ProcNode];
    // node-2 is the next owner after node-1: it is the one promoted when node-1 is gone.
    const key = await keyOwnedBy(['node-1', 'node-2'], 'promoted-');
    // v1 is acknowledged by node-1 and node-3 (QUORUM) while node-2 is cut off: node-2 never holds it.
    await isolateNode(lagging, true);
    expect((await put(primary, key, 'v1')).status).toBe(200);
    await isolateNode(lagging, false);
    expect(await localCopy(lagging, key)).toBeUndefined();
    // node-2 applies a later write of another key from node-1: its clock must fold that version in.
    const other = await keyOwnedBy(['node-1'], 'observed-');
    expect((await put(primary, other, 'x')).status).toBe(200);
    expect((await localCopy(lagging, other))?.value).toBe('x');
    // The primary dies; node-2 coordinates the next write of the key as promoted primary.
    await killNode(primary);
    const v2 = await put(lagging, key, 'v2');
    expect(v2.status).toBe(200);
    const onThird = await localCopy(third, key);
    const onLagging = await localCopy(lagging, key);
    expect([onThird?.value, onLagging?.value]).toEqual(['v2', 'v2']);
    expect(onThird!.origin).toBe('node-2');
    for (const n of [lagging, third]) expect((await http('GET', `${n.api}/v1/cache/${key}`, { token: TOKEN })).text).toBe('v2');
  }, 60_000);
});
