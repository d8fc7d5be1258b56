import { randomBytes } from 'node:crypto';
import { http } from '../support/http';
import { startProcessCluster, type ProcNode } from '../support/process-cluster';

const TOKEN = 'gzip-token';

/** Requests the dist listener answered, summed over statuses (management `/metrics`). */
async function distRequests(node: ProcNode): Promise<number> {
  const text = (await http('GET', `${node.mgmt}/metrics`, { token: TOKEN })).text;
  let sum = 0;
  for (const m of text.matchAll(/^http_server_requests_total\{[^}]*listener="dist"[^}]*\} (\d+)/gm)) sum += Number(m[1]);
  return sum;
}

// dist-protocol.md §17.3: senders gzip peer bodies above HYPERCACHE_DIST_COMPRESSION_THRESHOLD and
// every receiver inflates them (under the inflated-size cap, test/process/body-caps.e2e-spec.ts).
describe('gzip between real node processes (HYPERCACHE_DIST_COMPRESSION_THRESHOLD=1024, RF 3)', () => {
  let nodes: ProcNode[];

  beforeAll(async () => {
    nodes = await startProcessCluster(3, { HYPERCACHE_AUTH_TOKEN: TOKEN, HYPERCACHE_DIST_COMPRESSION_THRESHOLD: '1024' });
  }, 150_000);

  it.each([
    ['batched', 'gz-batched'],
    ['forwarded through a non-primary', 'gz-forwarded'],
  ])('stores a 64 KiB binary value byte-exact on every owner (%s)', async (_how, key) => {
    const value = randomBytes(64 * 1024);
    const owners: string[] = (await http('GET', `${nodes[0].api}/v1/owners/${key}`, { token: TOKEN })).json().owners;
    const entry = key === 'gz-batched' ? nodes.find((n) => n.id === owners[0])! : nodes.find((n) => n.id !== owners[0])!;
    const before = await Promise.all(nodes.map(distRequests));
    expect((await http('PUT', `${entry.api}/v1/cache/${key}`, { body: value, token: TOKEN })).status).toBe(200);
    for (const id of owners) {
      const owner = nodes.find((n) => n.id === id)!;
      const body = (await http('GET', `http://127.0.0.1:${owner.ports.dist}/internal/get?key=${key}`, { token: TOKEN })).json();
      expect(body.found).toBe(true);
      expect(Buffer.from(body.item.Value, 'base64').equals(value)).toBe(true);
    }
    // The copies crossed the peer listeners (not some other path).
    const after = await Promise.all(nodes.map(distRequests));
    expect(after.reduce((a, b) => a + b, 0)).toBeGreaterThan(before.reduce((a, b) => a + b, 0));
  });
});
