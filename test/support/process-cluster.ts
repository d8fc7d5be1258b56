import { http } from './http';
import { freePort, spawnServer, until, type ServerProcess } from './server-process';

/** One node of a {@link startProcessCluster} cluster. */
export interface ProcNode {
  readonly id: string;
  /** `resp` when the cluster was started with `{ resp: true }` (`HYPERCACHE_RESP_ADDR`). */
  readonly ports: { api: number; mgmt: number; dist: number; resp?: number };
  proc: ServerProcess;
  readonly api: string;
  readonly mgmt: string;
}

/**
 * Failure-detection and repair intervals short enough that an outage/return cycle takes seconds
 * in a test: heartbeat H = 300 ms (dead after 1.8 s, pruned after 2.1 s), gossip 300 ms,
 * rebalance 200 ms, anti-entropy every 500 ms with every peer, hint replay 100 ms.
 */
export const FAST_HEALING_ENV: Readonly<Record<string, string>> = {
  HYPERCACHE_HEARTBEAT: '300ms',
  HYPERCACHE_GOSSIP_INTERVAL: '300ms',
  HYPERCACHE_REBALANCE_INTERVAL: '200ms',
  HYPERCACHE_MERKLE_SYNC_INTERVAL: '500ms',
  HYPERCACHE_MERKLE_SYNC_PEERS: '0',
  HYPERCACHE_HINT_REPLAY: '100ms',
};

/**
 * No background repair: nothing may hand a node a write behind the test's back (no hint replay,
 * no anti-entropy), and heartbeats slow enough that a short isolation raises no suspicion. For
 * tests that isolate a node, write around it, and check what it alone holds afterwards.
 */
export const NO_REPAIR_ENV: Readonly<Record<string, string>> = {
  HYPERCACHE_HINT_REPLAY: '0s',
  HYPERCACHE_MERKLE_SYNC_INTERVAL: '0s',
  HYPERCACHE_HEARTBEAT: '5s',
};

/**
 * Starts `n` real `hypercache-server` processes on 127.0.0.1, each seeded with all the others as
 * `id@127.0.0.1:port`, and waits until every node answers `/healthz`. Killed after the test file.
 * A port `freePort()` chose can be taken (by another test's server or an outgoing connection)
 * before the node binds it; the node then exits, and the cluster is started again on new ports
 * (3 attempts). A node that exits for any other reason fails at once, with its output.
 */
export async function startProcessCluster(n: number, env: Record<string, string> = {}, o: { entry?: string; resp?: boolean } = {}): Promise<ProcNode[]> {
  for (let attempt = 1; ; attempt++) {
    const nodes = await spawnCluster(n, env, o);
    const exited = await untilHealthy(nodes);
    if (exited === undefined) {
      await untilAllAlive(nodes, env.HYPERCACHE_AUTH_TOKEN);
      return nodes;
    }
    for (const node of nodes) if (node.proc.child.exitCode === null && node.proc.child.signalCode === null) node.proc.child.kill('SIGKILL');
    const output = exited.proc.output();
    if (attempt < 3 && /failed to bind/.test(output)) continue;
    throw new Error(`${exited.id} exited during boot (attempt ${attempt}):\n${output}`);
  }
}

async function spawnCluster(n: number, env: Record<string, string>, o: { entry?: string; resp?: boolean }): Promise<ProcNode[]> {
  const ids = Array.from({ length: n }, (_, i) => `node-${i + 1}`);
  const ports: Array<ProcNode['ports']> = [];
  for (let i = 0; i < n; i++) ports.push({ api: await freePort(), mgmt: await freePort(), dist: await freePort(), ...(o.resp === true ? { resp: await freePort() } : {}) });
  const nodes = ids.map((id, i) => ({ id, ports: ports[i], api: `http://127.0.0.1:${ports[i].api}`, mgmt: `http://127.0.0.1:${ports[i].mgmt}` })) as ProcNode[];
  const seeds = (self: string) =>
    nodes
      .filter((x) => x.id !== self)
      .map((x) => `${x.id}@127.0.0.1:${x.ports.dist}`)
      .join(',');
  for (const node of nodes) node.proc = spawnServer(nodeEnv(node, seeds(node.id), env), o.entry);
  return nodes;
}

/** Waits until every node answers `/healthz`; returns the first node whose process exited instead. */
async function untilHealthy(nodes: ProcNode[]): Promise<ProcNode | undefined> {
  for (const node of nodes) {
    const gone = () => node.proc.child.exitCode !== null || node.proc.child.signalCode !== null;
    // Generous: on a loaded 2-core machine a node's boot alone can take tens of seconds.
    await until(async () => gone() || (await http('GET', `${node.api}/healthz`)).status === 200, 60_000);
    if (gone()) return node;
  }
  return undefined;
}

/**
 * Nodes that booted before their seeds may have suspected (or, on a slow machine, pruned) them:
 * start every test from a membership where each node sees all n alive.
 */
async function untilAllAlive(nodes: ProcNode[], token: string | undefined): Promise<void> {
  await until(async () => {
    for (const node of nodes) {
      const r = await http('GET', `${node.mgmt}/cluster/members`, { token });
      const members: Array<{ State: string }> = r.json().members;
      if (members.length !== nodes.length || members.some((m) => m.State !== 'alive')) return false;
    }
    return true;
  }, 30_000, 50);
}

/** Restarts a (killed) node with the same ID, ports and seeds. */
export async function restartNode(nodes: ProcNode[], node: ProcNode, env: Record<string, string> = {}, o: { entry?: string } = {}): Promise<void> {
  const seeds = nodes
    .filter((x) => x.id !== node.id)
    .map((x) => `${x.id}@127.0.0.1:${x.ports.dist}`)
    .join(',');
  node.proc = spawnServer(nodeEnv(node, seeds, env), o.entry);
  await until(async () => (await http('GET', `${node.api}/healthz`)).status === 200, 30_000);
}

/**
 * Starts one more node `id` on fresh ports, seeded with every node of `nodes`, and waits until it
 * answers `/healthz` (`env` may depend on the node's ports). The caller appends it to its list and waits for the membership it needs.
 */
export async function joinNode(
  nodes: readonly ProcNode[],
  id: string,
  env: Record<string, string> | ((ports: ProcNode['ports']) => Record<string, string>) = {},
): Promise<ProcNode> {
  const ports = { api: await freePort(), mgmt: await freePort(), dist: await freePort() };
  const node = { id, ports, api: `http://127.0.0.1:${ports.api}`, mgmt: `http://127.0.0.1:${ports.mgmt}` } as ProcNode;
  const seeds = nodes.map((x) => `${x.id}@127.0.0.1:${x.ports.dist}`).join(',');
  node.proc = spawnServer(nodeEnv(node, seeds, typeof env === 'function' ? env(ports) : env));
  await until(async () => (await http('GET', `${node.api}/healthz`)).status === 200, 60_000);
  return node;
}

function nodeEnv(node: Pick<ProcNode, 'id' | 'ports'>, seeds: string, env: Record<string, string>): Record<string, string> {
  return {
    HYPERCACHE_NODE_ID: node.id,
    HYPERCACHE_API_ADDR: `127.0.0.1:${node.ports.api}`,
    HYPERCACHE_MGMT_ADDR: `127.0.0.1:${node.ports.mgmt}`,
    HYPERCACHE_DIST_ADDR: `127.0.0.1:${node.ports.dist}`,
    HYPERCACHE_SEEDS: seeds,
    HYPERCACHE_REPLICATION: '3',
    HYPERCACHE_LOG_LEVEL: 'warn',
    ...(node.ports.resp === undefined ? {} : { HYPERCACHE_RESP_ADDR: `127.0.0.1:${node.ports.resp}` }),
    ...env,
  };
}

/** Cuts (or restores) all dist traffic of a node started with `FAULT_ENTRY`; resolves once applied. */
export async function isolateNode(node: ProcNode, isolate: boolean): Promise<void> {
  const child = node.proc.child;
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.send({ isolate }, (e) => (e ? reject(e) : undefined));
  });
}

/** SIGKILLs a node and waits for it to exit. */
export async function killNode(node: ProcNode): Promise<void> {
  node.proc.child.kill('SIGKILL');
  await node.proc.exited;
}

/** A node's own stored copy of `key` (peer route `GET /internal/get`, no coordination): `{ value, version, origin }` or undefined. */
export async function localCopy(node: ProcNode, key: string, token?: string): Promise<{ value: string; version: number; origin: string } | undefined> {
  const body = (await http('GET', `http://127.0.0.1:${node.ports.dist}/internal/get?key=${encodeURIComponent(key)}`, token === undefined ? {} : { token })).json();
  return body.found ? { value: Buffer.from(body.item.Value, 'base64').toString(), version: body.item.Version, origin: body.item.Origin } : undefined;
}
