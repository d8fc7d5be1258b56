import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registerCleanup } from '../support/cleanup';
import { http } from '../support/http';
import { ROOT } from '../support/server-process';

const SCRIPT = join(ROOT, 'scripts/cluster.mjs');

interface ClusterState {
  token: string;
  nodes: Array<{ id: string; pid: number; ports: { api: number; mgmt: number; dist: number } }>;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run cluster (scripts/cluster.mjs)', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'hc-cluster-'));
  const cluster = (...args: string[]) =>
    promisify(execFile)(process.execPath, [SCRIPT, ...args], { cwd: ROOT, env: { ...process.env, HYPERCACHE_CLUSTER_DIR: runDir }, timeout: 60_000 });
  const statePath = join(runDir, 'cluster.json');
  registerCleanup(() => {
    // Never leave nodes behind, even when an assertion failed mid-test.
    if (existsSync(statePath)) for (const n of (JSON.parse(readFileSync(statePath, 'utf8')) as ClusterState).nodes) if (isAlive(n.pid)) process.kill(n.pid, 'SIGKILL');
    rmSync(runDir, { recursive: true, force: true });
  });

  it('starts 5 nodes (RF 3) printing their ports, replicates a PUT on node 1 to node 5, and stops leaving no process behind', async () => {
    const up = await cluster('start', '--free-ports');
    const state: ClusterState = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(state.nodes.map((n) => n.id)).toEqual(['node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
    for (const n of state.nodes) {
      expect(up.stdout).toContain(`api http://127.0.0.1:${n.ports.api}`);
      expect(up.stdout).toContain(`mgmt http://127.0.0.1:${n.ports.mgmt}`);
      expect(isAlive(n.pid)).toBe(true);
    }
    // A second start refuses instead of orphaning the first cluster.
    await expect(cluster('start', '--free-ports')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('already running') });

    const [first, , , , last] = state.nodes;
    const value = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x41, 0x0a, 0x00]);
    const put = await http('PUT', `http://127.0.0.1:${first.ports.api}/v1/cache/from-node-1`, { body: value, token: state.token });
    expect(put.status).toBe(200);
    expect(put.json().owners).toHaveLength(3);
    const got = await http('GET', `http://127.0.0.1:${last.ports.api}/v1/cache/from-node-1`, { token: state.token });
    expect(got.status).toBe(200);
    expect(got.body.equals(value)).toBe(true);
    // The compose stack's smoke check (deploy.md §4): identical bytes on all five, a DELETE on
    // another node → 404 NOT_FOUND everywhere.
    const api = (n: ClusterState['nodes'][number], method: string) => http(method, `http://127.0.0.1:${n.ports.api}/v1/cache/from-node-1`, { token: state.token });
    for (const n of state.nodes) expect((await api(n, 'GET')).body.equals(value)).toBe(true);
    expect((await api(state.nodes[2], 'DELETE')).status).toBe(200);
    for (const n of state.nodes) expect((await api(n, 'GET')).json()).toMatchObject({ code: 'NOT_FOUND' });
    const members = await http('GET', `http://127.0.0.1:${last.ports.mgmt}/cluster/members`, { token: state.token });
    expect(members.json()).toMatchObject({ replication: 3 });
    expect(members.json().members).toHaveLength(5);

    const down = await cluster('stop');
    expect(down.stdout).toContain('all drained and exited');
    // No node left behind (ports are not checked: another test may reuse a released port at once).
    for (const n of state.nodes) expect(isAlive(n.pid)).toBe(false);
    expect(existsSync(statePath)).toBe(false);
    // Every node logged a clean shutdown (SIGTERM → drain → stopped).
    for (const n of state.nodes) expect(readFileSync(join(runDir, `${n.id}.log`), 'utf8')).toMatch(/"msg":"stopped"/);
    expect((await cluster('stop')).stdout).toContain('nothing to stop');
  }, 90_000);
});
