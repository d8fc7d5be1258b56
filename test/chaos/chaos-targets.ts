import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { http } from '../support/http';
import { startNetnsCluster, untilAllAlive, type NetnsCluster } from '../support/netns-cluster';
import { FAST_HEALING_ENV, isolateNode, killNode, restartNode, startProcessCluster, type ProcNode } from '../support/process-cluster';
import { FAULT_ENTRY } from '../support/server-process';
import { until } from '../support/until';
import type { ClientTarget } from './chaos-clients';
import type { FinalState } from './history-checker';
import type { FaultTarget } from './schedules';

/**
 * Environment of every chaos node: QUORUM writes, ONE reads, fast failure detection and repair.
 * `CHAOS_LOG_DIR=<dir>` runs the nodes at log level info and writes each one's log there at the
 * end (membership changes with timestamps, to trace slow writes).
 */
export const CHAOS_ENV: Readonly<Record<string, string>> = {
  ...FAST_HEALING_ENV,
  HYPERCACHE_WRITE_CONSISTENCY: 'QUORUM',
  HYPERCACHE_READ_CONSISTENCY: 'ONE',
  ...(process.env.CHAOS_LOG_DIR ? { HYPERCACHE_LOG_LEVEL: 'info' } : {}),
};

/** A cluster under test: fault hooks, client targets and the final-state reader. */
export interface ChaosCluster extends FaultTarget {
  readonly targets: readonly ClientTarget[];
  /** Waits until every node sees every node alive. */
  untilHealed(timeoutMs: number): Promise<void>;
  /** Writes each node's output to `<dir>/node-<i>.log` (netns only). */
  dumpLogs?(dir: string): void;
  /** Node indexes (1-based) of the owners of `key` in node 1's view, primary first. */
  ownerIndexes(key: string): Promise<number[]>;
  /** Each owner's local copy of each key (via `GET /internal/get`, no read-repair). */
  finalState(keys: readonly string[]): Promise<FinalState>;
}

interface NodeUrls {
  readonly id: string;
  readonly api: string;
  readonly dist: string;
}

async function ownersOf(api: string, key: string): Promise<string[]> {
  return (await http('GET', `${api}/v1/owners/${encodeURIComponent(key)}`)).json().owners;
}

async function readFinal(nodes: readonly NodeUrls[], keys: readonly string[]): Promise<FinalState> {
  const out = new Map<string, Array<string | null>>();
  for (const key of keys) {
    const owners = await ownersOf(nodes[0].api, key);
    const values = await Promise.all(
      owners.map(async (id) => {
        const node = nodes.find((n) => n.id === id)!;
        const body = (await http('GET', `${node.dist}/internal/get?key=${encodeURIComponent(key)}`)).json();
        return body.found ? Buffer.from(body.item.Value, 'base64').toString('utf8') : null;
      }),
    );
    out.set(key, values);
  }
  return out;
}

/** The real thing: 5 nodes in network namespaces, kernel faults. */
export async function netnsChaosCluster(n: number): Promise<ChaosCluster> {
  const c: NetnsCluster = await startNetnsCluster(n, CHAOS_ENV);
  const urls = c.nodes.map((x) => ({ id: x.id, api: x.api, dist: x.dist }));
  return {
    size: n,
    kernelFaults: true,
    delayedNode: c.delayedNode,
    targets: c.nodes.map((x) => ({ index: x.index, api: x.api })),
    async primaryOf(key) {
      const [primary] = await ownersOf(c.nodes[0].api, key);
      return c.nodes.find((x) => x.id === primary)!.index;
    },
    async ownerIndexes(key) {
      return (await ownersOf(c.nodes[0].api, key)).map((id) => c.nodes.find((x) => x.id === id)!.index);
    },
    dumpLogs(dir) {
      mkdirSync(dir, { recursive: true });
      for (const x of c.nodes) writeFileSync(join(dir, `node-${x.index}.log`), x.output());
    },
    async isolate(group, from) {
      await Promise.all(group.map((i) => c.setFaults(i, { dropFrom: from, dropTo: from })));
    },
    oneWay: (receiver, sender) => c.setFaults(receiver, { dropFrom: [sender] }),
    loss: (node, percent) => c.setFaults(node, { lossPercent: percent }),
    delay: (ms) => c.setDelay(ms),
    kill: (i) => c.kill(i),
    restart: (i) => c.restart(i),
    pause: (i) => c.pause(i),
    resume: (i) => c.resume(i),
    healNetwork: () => c.healAll(),
    untilHealed: (timeoutMs) => untilAllAlive(c.nodes, timeoutMs),
    finalState: (keys) => readFinal(urls, keys),
  };
}

/**
 * Fallback without root or namespaces: processes on 127.0.0.1 and the in-process peer switch
 * (`fault-node.cjs`), which can isolate one node completely but cannot cut one direction, drop a
 * share of packets or delay them.
 */
export async function inProcessChaosCluster(n: number): Promise<ChaosCluster> {
  const nodes: ProcNode[] = await startProcessCluster(n, CHAOS_ENV, { entry: FAULT_ENTRY });
  const urls = nodes.map((x) => ({ id: x.id, api: x.api, dist: `http://127.0.0.1:${x.ports.dist}` }));
  const isolated = new Set<number>();
  const unsupported = () => {
    throw new Error('kernel faults need network namespaces');
  };
  return {
    size: n,
    kernelFaults: false,
    delayedNode: n,
    targets: nodes.map((x, i) => ({ index: i + 1, api: x.api })),
    async primaryOf(key) {
      const [primary] = await ownersOf(nodes[0].api, key);
      return nodes.findIndex((x) => x.id === primary) + 1;
    },
    async ownerIndexes(key) {
      return (await ownersOf(nodes[0].api, key)).map((id) => nodes.findIndex((x) => x.id === id) + 1);
    },
    async isolate(group) {
      for (const i of group) {
        isolated.add(i);
        void isolateNode(nodes[i - 1], true);
      }
    },
    oneWay: unsupported,
    loss: unsupported,
    delay: async () => unsupported(),
    kill: (i) => killNode(nodes[i - 1]),
    restart: (i) => restartNode(nodes, nodes[i - 1], CHAOS_ENV, { entry: FAULT_ENTRY }),
    pause: (i) => void nodes[i - 1].proc.child.kill('SIGSTOP'),
    resume: (i) => void nodes[i - 1].proc.child.kill('SIGCONT'),
    async healNetwork() {
      for (const i of isolated) await isolateNode(nodes[i - 1], false);
      isolated.clear();
    },
    async untilHealed(timeoutMs) {
      await until(async () => {
        for (const node of nodes) {
          const members: Array<{ State: string }> = (await http('GET', `${node.mgmt}/cluster/members`)).json().members;
          if (members.length !== nodes.length || members.some((m) => m.State !== 'alive')) return false;
        }
        return true;
      }, timeoutMs, 100);
    },
    finalState: (keys) => readFinal(urls, keys),
  };
}
