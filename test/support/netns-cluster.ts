import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { registerCleanup } from './cleanup';
import { http } from './http';
import { createNetnsBed, type NetnsBed, type NodeFaults } from './netns';
import { ENTRY, ROOT } from './server-process';
import { until } from './until';

/** Port every node listens on for peers inside its namespace (its own IP, so no clash). */
export const PEER_PORT = 7946;
const API_PORT = 8080;
const MGMT_PORT = 8081;
/** Where the delaying proxy listens in the delayed node's namespace. */
const PROXY_PORT = 17946;
const PROXY = join(ROOT, 'test/support/delay-proxy.cjs');

/** One node of a {@link NetnsCluster}. */
export interface NetnsNode {
  readonly index: number;
  readonly id: string;
  readonly ip: string;
  readonly api: string;
  readonly mgmt: string;
  /** Dist listener as seen from the root namespace (for `/internal/get` reads by the checker). */
  readonly dist: string;
  child: ChildProcess;
  /** Everything this node printed, across its restarts. */
  output(): string;
}

/** A cluster of real server processes, one per network namespace (see netns.ts). */
export interface NetnsCluster {
  readonly bed: NetnsBed;
  readonly nodes: NetnsNode[];
  /** Node whose inbound peer connections pass through the delaying proxy (delay 0 until set). */
  readonly delayedNode: number;
  /** Sets the proxy's added delay (ms) per chunk, both directions; resolves once applied. */
  setDelay(ms: number): Promise<void>;
  /** Kernel faults of one node (nftables in its namespace). */
  setFaults(index: number, f: NodeFaults): Promise<void>;
  healAll(): Promise<void>;
  kill(index: number): Promise<void>;
  restart(index: number): Promise<void>;
  pause(index: number): void;
  resume(index: number): void;
  /** Kills every process and removes the namespaces (idempotent; also registered as cleanup). */
  destroy(): Promise<void>;
}

/**
 * Starts `n` nodes, each in its own namespace (`10.231.x.i`), seeded with each other, and waits
 * until every node sees all `n` alive. The last node's peer port sits behind the delaying proxy
 * (an nftables redirect of inbound peer connections to the proxy, which forwards to the node).
 */
export async function startNetnsCluster(n: number, env: Record<string, string>): Promise<NetnsCluster> {
  const bed = createNetnsBed(n, { peerPort: PEER_PORT });
  const children = new Set<ChildProcess>();
  let proxy: ChildProcess | undefined;
  const destroy = async () => {
    for (const c of [...children, ...(proxy ? [proxy] : [])]) {
      if (c.exitCode === null && c.signalCode === null) {
        try {
          c.kill('SIGCONT');
        } catch {
          /* gone */
        }
        c.kill('SIGKILL');
      }
    }
    await Promise.all([...children].map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    bed.destroy();
  };
  registerCleanup(destroy);
  try {
    const delayedNode = n;
    const ids = Array.from({ length: n }, (_, i) => `node-${i + 1}`);
    const nodes: NetnsNode[] = ids.map((id, i) => {
      const ip = bed.ip(i + 1);
      return { index: i + 1, id, ip, api: `http://${ip}:${API_PORT}`, mgmt: `http://${ip}:${MGMT_PORT}`, dist: `http://${ip}:${PEER_PORT}` } as NetnsNode;
    });
    // Each node's output across its restarts, so a log dump also shows the processes killed before.
    const outputs = new Map<NetnsNode, Buffer[]>();
    const spawnNode = (node: NetnsNode) => {
      const seeds = nodes.filter((x) => x !== node).map((x) => `${x.id}@${x.ip}:${PEER_PORT}`).join(',');
      const child = spawn('ip', ['netns', 'exec', bed.ns(node.index), process.execPath, ENTRY], {
        env: {
          PATH: process.env.PATH ?? '',
          HYPERCACHE_NODE_ID: node.id,
          HYPERCACHE_API_ADDR: `${node.ip}:${API_PORT}`,
          HYPERCACHE_MGMT_ADDR: `${node.ip}:${MGMT_PORT}`,
          HYPERCACHE_DIST_ADDR: `${node.ip}:${PEER_PORT}`,
          HYPERCACHE_SEEDS: seeds,
          HYPERCACHE_REPLICATION: '3',
          HYPERCACHE_LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const chunks = outputs.get(node) ?? [];
      outputs.set(node, chunks);
      child.stdout!.on('data', (d: Buffer) => chunks.push(d));
      child.stderr!.on('data', (d: Buffer) => chunks.push(d));
      children.add(child);
      node.child = child;
      node.output = () => Buffer.concat(chunks).toString('utf8');
    };
    // The proxy and the redirect first, so every peer connection to that node ever made passes it.
    bed.exec(
      delayedNode,
      'nft',
      ['-f', '-'],
      `table ip hcdelay {\n chain pre { type nat hook prerouting priority -100; iifname "eth0" ip saddr != ${bed.hostIp} tcp dport ${PEER_PORT} redirect to :${PROXY_PORT}; }\n}\n`,
    );
    proxy = spawn('ip', ['netns', 'exec', bed.ns(delayedNode), process.execPath, PROXY, String(PROXY_PORT), bed.ip(delayedNode), String(PEER_PORT)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let proxyOut = '';
    proxy.stdout!.setEncoding('utf8').on('data', (d: string) => (proxyOut += d));
    await until(() => proxyOut.includes('listening'), 15_000);
    for (const node of nodes) spawnNode(node);
    await untilHealthy(nodes);
    await untilAllAlive(nodes, 120_000);
    const cluster: NetnsCluster = {
      bed,
      nodes,
      delayedNode,
      async setDelay(ms) {
        const mark = `ok ${ms}\n`;
        const before = proxyOut.length;
        proxy!.stdin!.write(`delay ${ms}\n`);
        await until(() => proxyOut.slice(before).includes(mark), 5_000, 10);
      },
      setFaults: (i, f) => bed.setFaults(i, f),
      healAll: () => bed.healAll(),
      async kill(i) {
        const c = nodes[i - 1].child;
        if (c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGKILL');
        await exited;
      },
      async restart(i) {
        spawnNode(nodes[i - 1]);
        await untilHealthy([nodes[i - 1]]);
      },
      pause: (i) => void nodes[i - 1].child.kill('SIGSTOP'),
      resume: (i) => void nodes[i - 1].child.kill('SIGCONT'),
      destroy,
    };
    return cluster;
  } catch (e) {
    await destroy();
    throw e;
  }
}

async function untilHealthy(nodes: NetnsNode[]): Promise<void> {
  for (const node of nodes) {
    const gone = () => node.child.exitCode !== null || node.child.signalCode !== null;
    await until(async () => gone() || (await http('GET', `${node.api}/healthz`)).status === 200, 120_000, 50).catch((e: unknown) => {
      throw new Error(`${node.id} never answered /healthz (${String(e)}):\n${node.output()}`);
    });
    if (gone()) throw new Error(`${node.id} exited during boot:\n${node.output()}`);
  }
}

/** Waits until every node's membership lists all `nodes` alive; fails with every node's view. */
export async function untilAllAlive(nodes: NetnsNode[], timeoutMs: number): Promise<void> {
  await until(async () => {
    for (const node of nodes) {
      const r = await http('GET', `${node.mgmt}/cluster/members`);
      const members: Array<{ State: string }> = r.json().members;
      if (members.length !== nodes.length || members.some((m) => m.State !== 'alive')) return false;
    }
    return true;
  }, timeoutMs, 100).catch(async (e: unknown) => {
    const views = await Promise.all(
      nodes.map(async (x) => {
        const r = await http('GET', `${x.mgmt}/cluster/members`).catch(() => undefined);
        const members: Array<{ ID: string; State: string; Incarnation: number }> = r?.json().members ?? [];
        return `${x.id} (${x.child.exitCode ?? x.child.signalCode ?? 'running'}): ${members.map((m) => `${m.ID}:${m.State}/${m.Incarnation}`).join(' ')}`;
      }),
    );
    throw new Error(`${String(e)}; membership views:\n${views.join('\n')}`);
  });
}
