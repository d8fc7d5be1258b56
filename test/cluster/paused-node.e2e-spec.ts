import { http } from '../support/http';
import { startProcessCluster, type ProcNode } from '../support/process-cluster';
import { until } from '../support/until';

const TOKEN = 'pause-token';

type Member = { ID: string; State: string; Incarnation: number };
const members = async (n: ProcNode): Promise<Member[]> => (await http('GET', `${n.mgmt}/cluster/members`, { token: TOKEN })).json().members;

/** The node's own stored copy (peer route, no coordination). */
async function localValue(node: ProcNode, key: string): Promise<string | undefined> {
  const body = (await http('GET', `http://127.0.0.1:${node.ports.dist}/internal/get?key=${encodeURIComponent(key)}`, { token: TOKEN })).json();
  return body.found ? Buffer.from(body.item.Value, 'base64').toString() : undefined;
}

// A node that stops answering without its sockets closing (SIGSTOP: a GC pause, a frozen VM) is
// the failure detector's hard case: connections hang instead of being refused.
describe('a paused node (SIGSTOP) among 5 real processes, RF 3', () => {
  let nodes: ProcNode[];

  beforeAll(async () => {
    // A 1 s peer deadline keeps writes that wait on the paused replica short; default heartbeat.
    nodes = await startProcessCluster(5, { HYPERCACHE_AUTH_TOKEN: TOKEN, HYPERCACHE_DIST_TIMEOUT: '1s' });
  }, 150_000);

  it('is suspected, writes keep succeeding, and after SIGCONT it refutes and converges', async () => {
    const paused = nodes[4]!;
    const others = nodes.slice(0, 4);
    const incarnation = (await members(nodes[0]!)).find((m) => m.ID === paused.id)!.Incarnation;
    expect(paused.proc.child.kill('SIGSTOP')).toBe(true);
    try {
      await until(async () => (await members(nodes[0]!)).some((m) => m.ID === paused.id && m.State !== 'alive'), 30_000, 50);
      // Keys the paused node owns: every write through a live node still meets QUORUM.
      const keys: string[] = [];
      for (let i = 0; keys.length < 10; i++) {
        const owners: string[] = (await http('GET', `${others[0]!.api}/v1/owners/paused-${i}`, { token: TOKEN })).json().owners;
        if (owners.includes(paused.id)) keys.push(`paused-${i}`);
      }
      const puts = await Promise.all(keys.map((k, i) => http('PUT', `${others[i % 4]!.api}/v1/cache/${k}`, { body: `v-${k}`, token: TOKEN })));
      expect(puts.map((r) => `${r.status} ${r.status === 200 ? "" : r.text}`.trim())).toEqual(keys.map(() => "200"));
      for (const k of keys) expect((await http('GET', `${others[1]!.api}/v1/cache/${k}`, { token: TOKEN })).text).toBe(`v-${k}`);

      expect(paused.proc.child.kill('SIGCONT')).toBe(true);
      // It refutes (a higher incarnation) and every node sees all five alive again.
      let lastViews = '';
      await until(async () => {
        const views: string[] = [];
        try {
          for (const n of nodes) {
            const view = await members(n);
            views.push(`${n.id}: ${view.map((m) => `${m.ID}=${m.State}#${m.Incarnation}`).join(' ')}`);
            if (view.length !== 5 || view.some((m) => m.State !== 'alive')) return false;
            if (view.find((m) => m.ID === paused.id)!.Incarnation <= incarnation) return false;
          }
          return true;
        } finally {
          lastViews = views.join('; ');
        }
      }, 60_000, 100, () => `paused ${paused.id} at incarnation ${incarnation}; last views: ${lastViews}`);
      // It converges: the writes it missed reach it (hints or anti-entropy).
      await until(async () => {
        for (const k of keys) if ((await localValue(paused, k)) !== `v-${k}`) return false;
        return true;
      }, 60_000, 200);
    } finally {
      paused.proc.child.kill('SIGCONT');
    }
  }, 240_000);
});
