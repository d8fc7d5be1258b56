/**
 * The fault schedules of the chaos suite (issue 21). A fault is applied to a running 5-node
 * cluster, held for the window, then healed. `minority` lists the nodes that are cut off, paused
 * or dead during the window (their acknowledgements of QUORUM writes are counted as minority acks).
 */

/** What a schedule needs from the cluster under test (netns or in-process fallback). */
export interface FaultTarget {
  readonly size: number;
  /** Whether kernel faults (nftables, proxy delay) are available. */
  readonly kernelFaults: boolean;
  /** Node index (1-based) of the primary owner of `key` in node 1's view. */
  primaryOf(key: string): Promise<number>;
  isolate(group: readonly number[], from: readonly number[]): Promise<void>;
  oneWay(receiver: number, sender: number): Promise<void>;
  loss(node: number, percent: number): Promise<void>;
  delay(ms: number): Promise<void>;
  readonly delayedNode: number;
  kill(node: number): Promise<void>;
  restart(node: number): Promise<void>;
  pause(node: number): void;
  resume(node: number): void;
  healNetwork(): Promise<void>;
}

export interface Fault {
  readonly name: string;
  /** Needs nftables / the proxy (skipped by the in-process fallback). */
  readonly kernel: boolean;
  /** Applies the fault; resolves with the minority node indexes. */
  apply(t: FaultTarget, hotKey: string): Promise<number[]>;
  heal(t: FaultTarget): Promise<void>;
}

const others = (size: number, group: readonly number[]) => Array.from({ length: size }, (_, i) => i + 1).filter((i) => !group.includes(i));

let killed = 0;
let paused = 0;

/** Every fault the issue asks for. */
export const FAULTS: Readonly<Record<string, Fault>> = {
  'kill-primary': {
    name: 'kill-primary',
    kernel: false,
    async apply(t, hotKey) {
      killed = await t.primaryOf(hotKey);
      await t.kill(killed);
      return [killed];
    },
    async heal(t) {
      await t.restart(killed);
    },
  },
  'pause-node': {
    name: 'pause-node',
    kernel: false,
    async apply(t) {
      paused = 3;
      t.pause(paused);
      return [paused];
    },
    async heal(t) {
      t.resume(paused);
    },
  },
  'isolate-one': {
    name: 'isolate-one',
    kernel: false,
    async apply(t) {
      await t.isolate([2], others(t.size, [2]));
      return [2];
    },
    heal: (t) => t.healNetwork(),
  },
  'split-2-3': {
    name: 'split-2-3',
    kernel: true,
    async apply(t) {
      await t.isolate([1, 2], others(t.size, [1, 2]));
      return [1, 2];
    },
    heal: (t) => t.healNetwork(),
  },
  'one-way': {
    name: 'one-way',
    kernel: true,
    async apply(t) {
      await t.oneWay(2, 4); // node 2 cannot receive from node 4
      return [];
    },
    heal: (t) => t.healNetwork(),
  },
  'loss-20': {
    name: 'loss-20',
    kernel: true,
    async apply(t) {
      await t.loss(3, 20);
      return [];
    },
    heal: (t) => t.healNetwork(),
  },
  'delay-50': {
    name: 'delay-50',
    kernel: true,
    async apply(t) {
      await t.delay(50);
      return [];
    },
    async heal(t) {
      await t.delay(0);
    },
  },
};

/** CI's short schedule (≤ 3 minutes with boot) and the full set (`npm run test:chaos -- --long`). */
export const SCHEDULES = {
  short: { faults: ['isolate-one', 'split-2-3', 'one-way', 'kill-primary'], windowMs: 7_000 },
  long: { faults: ['kill-primary', 'pause-node', 'isolate-one', 'split-2-3', 'one-way', 'loss-20', 'delay-50'], windowMs: 20_000 },
} as const;
