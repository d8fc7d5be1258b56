import { heldUpload } from '../support/held-upload';
import { http } from '../support/http';
import { startProcessCluster, type ProcNode } from '../support/process-cluster';
import { until } from '../support/until';

const ENV = { HYPERCACHE_HEARTBEAT: '300ms', HYPERCACHE_GOSSIP_INTERVAL: '300ms' };

describe('SIGTERM on a cluster node (real processes, 3 nodes, RF 3)', () => {
  let nodes: ProcNode[];

  beforeAll(async () => {
    nodes = await startProcessCluster(3, ENV);
  }, 60_000);

  it('drains (dist /health 503 while in-flight work finishes), exits 0 within 30 s, and the others keep serving every key', async () => {
    const [n1, n2, n3] = nodes;
    const keys = Array.from({ length: 30 }, (_, i) => `drain-${i}`);
    for (const k of keys) expect((await http('PUT', `${n1.api}/v1/cache/${k}`, { body: k })).status).toBe(200);

    // Hold the client API open with an upload whose headers the node has received (its
    // `100 Continue`) and whose body is still coming, so the drain window is observable.
    const slow = heldUpload(`${n3.api}/v1/cache/slow-upload`, { bytes: 2048 });
    await slow.received;
    await slow.write(Buffer.alloc(1024, 1));
    const t0 = Date.now();
    n3.proc.child.kill('SIGTERM');
    await until(async () => {
      const h = await http('GET', `http://127.0.0.1:${n3.ports.dist}/health`);
      return h.status === 503 && h.text === 'draining';
    }, 5_000, 20);
    // Reads through the draining node's peers still work; its dist listener still answers peers.
    expect((await http('GET', `http://127.0.0.1:${n3.ports.dist}/internal/get?key=${keys[0]}`)).status).toBe(200);
    const res = await slow.finish(Buffer.alloc(1024, 2));
    expect(res.status).toBe(200); // arrived before the drain: completes normally
    expect(await n3.proc.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);

    for (const n of [n1, n2]) {
      const r = await http('POST', `${n.api}/v1/cache/batch/get`, { body: JSON.stringify({ keys }) });
      expect(r.json().results.every((x: { found: boolean }) => x.found)).toBe(true);
    }
    // The survivors notice the departure through failure detection.
    await until(async () => {
      const m = (await http('GET', `${n1.mgmt}/cluster/members`)).json().members as Array<{ ID: string; State: string }>;
      return m.find((x) => x.ID === 'node-3')?.State !== 'alive';
    }, 10_000, 50);
  }, 60_000);
});
