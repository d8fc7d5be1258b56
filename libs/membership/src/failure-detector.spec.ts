import { FailureDetector, type FailureDetectorMetrics, type SwimTransport } from './failure-detector';
import { resolveFailureDetectorOptions } from './failure-detector-options';
import type { GossipMember } from './member';
import { MembershipTable } from './membership-table';
import type { MemberIdentity } from './membership-table-options';

const H = 100;

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setImmediate(r));
  expect(cond()).toBe(true);
}

function metrics(): FailureDetectorMetrics {
  return {
    HeartbeatSuccess: 0,
    HeartbeatFailure: 0,
    IndirectProbeSuccess: 0,
    IndirectProbeFailure: 0,
    IndirectProbeRefuted: 0,
    NodesSuspect: 0,
    NodesDead: 0,
    NodesRemoved: 0,
  };
}

/**
 * A deterministic in-memory network of detectors sharing one fake clock. `down` nodes answer
 * nothing; `cut` holds directed links that drop (a→b).
 */
class Net {
  now = 1_000;
  readonly nodes = new Map<string, { table: MembershipTable; fd: FailureDetector; m: FailureDetectorMetrics }>();
  readonly down = new Set<string>();
  readonly cut = new Set<string>();
  readonly ids: string[];

  constructor(n: number, k = 2) {
    this.ids = Array.from({ length: n }, (_, i) => `node-${i + 1}`);
    for (const id of this.ids) this.add(id, k);
  }

  add(id: string, k = 2): void {
    const self = { id, address: `${id}:7946` };
    const seeds = this.ids.filter((x) => x !== id).map((x) => ({ id: x, address: `${x}:7946` }));
    const table = new MembershipTable({ self, seeds, now: () => this.now });
    const m = metrics();
    const fd = new FailureDetector(
      { table, transport: this.transport(id), metrics: m, seeds, random: () => 0.5 },
      { heartbeatIntervalMs: H, indirectProbeK: k },
    );
    this.nodes.set(id, { table, fd, m });
  }

  reachable(from: string, to: string): boolean {
    return !this.down.has(to) && !this.down.has(from) && !this.cut.has(`${from}>${to}`) && !this.cut.has(`${to}>${from}`);
  }

  transport(from: string): SwimTransport {
    return {
      probe: async (m: MemberIdentity) => {
        if (!this.reachable(from, m.id)) throw new Error('unreachable');
      },
      probeVia: async (relay: MemberIdentity, target: string) => {
        if (!this.reachable(from, relay.id)) throw new Error('relay unreachable');
        const r = await this.nodes.get(relay.id)!.fd.relayProbe(target);
        if (r !== 'ok') throw new Error(`relay says ${r}`);
      },
      gossip: async (m: MemberIdentity, body: GossipMember[]) => {
        if (!this.reachable(from, m.id)) throw new Error('unreachable');
        return this.nodes.get(m.id)!.fd.handleGossip(body, from);
      },
    };
  }

  state(viewer: string, of: string): string | undefined {
    return this.nodes.get(viewer)!.table.get(of)?.state;
  }

  /** Advances the clock by H and runs one heartbeat and one gossip tick on every live node. */
  async round(): Promise<void> {
    this.now += H;
    for (const id of this.ids) {
      if (this.down.has(id)) continue;
      const { fd } = this.nodes.get(id)!;
      await fd.heartbeatTick();
      await fd.gossipTick();
    }
  }
}

describe('FailureDetector options', () => {
  it('derives 3H / 6H / 7H / H/2 / k=2 from the heartbeat', () => {
    expect(resolveFailureDetectorOptions({ heartbeatIntervalMs: 1000 })).toEqual({
      heartbeatIntervalMs: 1000,
      suspectAfterMs: 3000,
      deadAfterMs: 6000,
      removeAfterMs: 7000,
      probeTimeoutMs: 500,
      indirectProbeK: 2,
      indirectProbeTimeoutMs: 500,
      gossipIntervalMs: 1000,
      heartbeatSample: 0,
    });
  });

  it('rejects nonsense naming the option', () => {
    expect(() => resolveFailureDetectorOptions({ heartbeatIntervalMs: -1 })).toThrow(/heartbeatIntervalMs/);
    expect(() => resolveFailureDetectorOptions({ heartbeatIntervalMs: 100, indirectProbeK: -1 })).toThrow(/indirectProbeK/);
    expect(() => resolveFailureDetectorOptions({ heartbeatIntervalMs: 100, deadAfterMs: 600, removeAfterMs: 100 })).toThrow(/removeAfterMs/);
  });
});

describe('FailureDetector state machine (fake clock, in-memory network)', () => {
  it('keeps a healthy cluster alive with stable incarnations and no membership churn', async () => {
    const net = new Net(4);
    for (let i = 0; i < 20; i++) await net.round();
    for (const a of net.ids) {
      const { table, m } = net.nodes.get(a)!;
      expect(table.list().map((x) => [x.state, x.incarnation])).toEqual(net.ids.map(() => ['alive', 1]));
      expect(table.version).toBe(0);
      expect(m.HeartbeatSuccess).toBe(20 * 3);
      expect(m.HeartbeatFailure).toBe(0);
    }
  });

  it('walks a crashed peer alive → suspect → dead → removed on every survivor', async () => {
    const net = new Net(4);
    await net.round();
    net.down.add('node-4');
    await net.round();
    for (const a of ['node-1', 'node-2', 'node-3']) expect(net.state(a, 'node-4')).toBe('suspect');
    // Dead once more than 6H passed since the last contact, removed after more than 7H.
    for (let i = 0; i < 6; i++) await net.round();
    for (const a of ['node-1', 'node-2', 'node-3']) expect(net.state(a, 'node-4')).toBe('dead');
    await net.round();
    for (const a of ['node-1', 'node-2', 'node-3']) {
      expect(net.state(a, 'node-4')).toBeUndefined();
      const m = net.nodes.get(a)!.m;
      expect(m.NodesRemoved).toBe(1);
      expect(m.HeartbeatFailure).toBeGreaterThanOrEqual(6);
      expect(m.IndirectProbeFailure).toBeGreaterThan(0);
    }
    // Each transition is counted by the node that made it (others may learn it by gossip).
    const total = (k: 'NodesSuspect' | 'NodesDead') => ['node-1', 'node-2', 'node-3'].reduce((n, a) => n + net.nodes.get(a)!.m[k], 0);
    expect(total('NodesSuspect')).toBeGreaterThanOrEqual(1);
    expect(total('NodesDead')).toBeGreaterThanOrEqual(1);
  });

  it('lets an indirect probe through a relay refute a direct-probe failure', async () => {
    const net = new Net(3);
    net.cut.add('node-1>node-3');
    await net.round();
    const m = net.nodes.get('node-1')!.m;
    expect(m.HeartbeatFailure).toBe(1);
    expect(m.IndirectProbeSuccess).toBe(1);
    expect(m.IndirectProbeRefuted).toBe(1);
    expect(net.state('node-1', 'node-3')).toBe('alive');
  });

  it('with k = 0 a single failed probe marks the peer suspect', async () => {
    const net = new Net(3, 0);
    net.cut.add('node-1>node-3');
    await net.nodes.get('node-1')!.fd.heartbeatTick();
    expect(net.state('node-1', 'node-3')).toBe('suspect');
    expect(net.nodes.get('node-1')!.m.IndirectProbeFailure).toBe(0);
  });

  it('self-refutes a suspect claim received by gossip: incarnation above the claim, alive everywhere by gossip alone', async () => {
    const net = new Net(3);
    const n2 = net.nodes.get('node-2')!;
    const answer = n2.fd.handleGossip([{ id: 'node-2', address: 'node-2:7946', state: 'suspect', incarnation: 1 }], 'test');
    expect(n2.table.local).toMatchObject({ state: 'alive', incarnation: 2 });
    expect(answer.find((e) => e.id === 'node-2')).toEqual({ id: 'node-2', address: 'node-2:7946', state: 'alive', incarnation: 2 });
    // A stale claim (incarnation below its own) is ignored.
    n2.fd.handleGossip([{ id: 'node-2', address: 'node-2:7946', state: 'dead', incarnation: 1 }]);
    expect(n2.table.local.incarnation).toBe(2);
    // A peer that believed the claim learns the refutation through gossip.
    net.nodes.get('node-1')!.table.merge({ id: 'node-2', address: 'node-2:7946', state: 'suspect', incarnation: 1 });
    expect(net.state('node-1', 'node-2')).toBe('suspect');
    for (let i = 0; i < 4 && net.state('node-1', 'node-2') !== 'alive'; i++) await net.nodes.get('node-2')!.fd.gossipTo({ id: 'node-1', address: '' });
    expect(net.nodes.get('node-1')!.table.get('node-2')).toMatchObject({ state: 'alive', incarnation: 2 });
  });

  it('rejects a malformed gossip body whole, before merging anything', () => {
    const net = new Net(2);
    const { fd, table } = net.nodes.get('node-1')!;
    expect(() =>
      fd.handleGossip([
        { id: 'node-9', address: 'node-9:7946', state: 'alive', incarnation: 1 },
        { id: '', address: 'x:1', state: 'alive', incarnation: 1 },
      ]),
    ).toThrow(/member id/);
    expect(table.has('node-9')).toBe(false);
  });

  it('a partitioned node goes suspect then dead on the others and rejoins through gossip to its seeds after healing', async () => {
    const net = new Net(4);
    await net.round();
    for (const other of ['node-1', 'node-2', 'node-3']) net.cut.add(`node-4>${other}`);
    for (let i = 0; i < 9; i++) await net.round();
    // Both sides pruned each other.
    for (const a of ['node-1', 'node-2', 'node-3']) expect(net.state(a, 'node-4')).toBeUndefined();
    expect(net.nodes.get('node-4')!.table.size).toBe(1);
    net.cut.clear();
    for (let i = 0; i < 4; i++) await net.round();
    for (const a of net.ids) for (const b of net.ids) expect(net.state(a, b)).toBe('alive');
  });

  it('a restarted node (fresh table, incarnation 1) is re-admitted while peers still hold it dead', async () => {
    const net = new Net(3);
    await net.round();
    net.down.add('node-3');
    for (let i = 0; i < 7; i++) await net.round();
    expect(net.state('node-1', 'node-3')).toBe('dead');
    const deadIncarnation = net.nodes.get('node-1')!.table.get('node-3')!.incarnation;
    net.down.delete('node-3');
    net.add('node-3');
    // Its first gossip answer tells it that it is dead at a higher incarnation: it refutes.
    await net.nodes.get('node-3')!.fd.gossipTo({ id: 'node-1', address: 'node-1:7946' });
    expect(net.nodes.get('node-3')!.table.local.incarnation).toBe(deadIncarnation + 1);
    await net.nodes.get('node-3')!.fd.gossipTo({ id: 'node-1', address: 'node-1:7946' });
    expect(net.nodes.get('node-1')!.table.get('node-3')).toMatchObject({ state: 'alive', incarnation: deadIncarnation + 1 });
    for (let i = 0; i < 3; i++) await net.round();
    for (const a of net.ids) for (const b of net.ids) expect(net.state(a, b)).toBe('alive');
  });

  it('runs its loops on injected timers and stops cleanly', async () => {
    const pending: Array<{ fn: () => void; ms: number }> = [];
    const table = new MembershipTable({ self: { id: 'a', address: 'a:1' }, seeds: [{ id: 'b', address: 'b:1' }], now: () => 0 });
    let probes = 0;
    let gossips = 0;
    const fd = new FailureDetector(
      {
        table,
        metrics: metrics(),
        transport: {
          probe: async () => void probes++,
          probeVia: async () => undefined,
          gossip: async () => (gossips++, []),
        },
        timers: { setTimeout: (fn, ms) => pending.push({ fn, ms }), clearTimeout: () => undefined },
      },
      { heartbeatIntervalMs: 50, gossipIntervalMs: 70 },
    );
    fd.start();
    fd.start();
    expect(pending.map((p) => p.ms).sort()).toEqual([50, 70]);
    for (const p of pending.splice(0)) p.fn();
    await new Promise((r) => setImmediate(r));
    expect(probes).toBe(1);
    expect(gossips).toBe(1);
    expect(pending).toHaveLength(2); // rescheduled after each tick
    fd.stop();
    for (const p of pending.splice(0)) p.fn();
    await new Promise((r) => setImmediate(r));
    expect(pending).toHaveLength(0);
  });
});

describe(`${FailureDetector.name} claims against direct evidence (issue 21, docs/decisions.md F12)`, () => {
  it('after a partition heals, the cut-off node\'s dead verdicts mark no healthy member of the majority dead', async () => {
    const net = new Net(5);
    await net.round();
    for (const other of ['node-1', 'node-2', 'node-3', 'node-4']) net.cut.add(`node-5>${other}`);
    for (let i = 0; i < 7 && net.state('node-5', 'node-1') !== 'dead'; i++) await net.round();
    expect(['node-1', 'node-2', 'node-3', 'node-4'].map((x) => net.state('node-5', x))).toEqual(['dead', 'dead', 'dead', 'dead']);
    net.cut.clear();
    const majority = ['node-1', 'node-2', 'node-3', 'node-4'];
    for (let i = 0; i < 5; i++) {
      await net.round();
      for (const a of majority) for (const b of majority) expect(`${a} sees ${b} ${net.state(a, b)}`).toBe(`${a} sees ${b} alive`);
    }
    for (const a of net.ids) for (const b of net.ids) expect(net.state(a, b)).toBe('alive');
  });

  it('takes a suspect claim about a member that has not answered its own probes for two heartbeats', async () => {
    const net = new Net(3);
    await net.round();
    const n1 = net.nodes.get('node-1')!;
    const claim = { id: 'node-2', address: 'node-2:7946', state: 'suspect', incarnation: 9 };
    n1.fd.handleGossip([claim], 'node-3');
    expect(net.state('node-1', 'node-2')).toBe('alive'); // answered node-1's probe one heartbeat ago
    net.now += 2 * H + 1;
    n1.fd.handleGossip([claim], 'node-3');
    expect(n1.table.get('node-2')).toMatchObject({ state: 'suspect', incarnation: 9 });
  });
});

describe(`${FailureDetector.name} pruned members come back first-hand (issue 21, docs/decisions.md F14)`, () => {
  it('a member pruned during a partition is not re-added by the stale hearsay of a peer that still holds it alive', async () => {
    const net = new Net(3);
    await net.round();
    // node-1 is cut off from both; it prunes them while node-2 and node-3 still see each other.
    net.cut.add('node-1>node-2').add('node-1>node-3');
    for (let i = 0; i < 9 && net.nodes.get('node-1')!.table.size > 1; i++) await net.round();
    expect(net.nodes.get('node-1')!.table.size).toBe(1);
    expect(net.state('node-2', 'node-3')).toBe('alive');
    // node-2 gossips its (current, lower-incarnation) alive view of node-3 to node-1.
    const n1 = net.nodes.get('node-1')!;
    const n2view = net.nodes.get('node-2')!.table.gossipPayload();
    n1.fd.handleGossip(n2view, 'node-2');
    await new Promise((r) => setImmediate(r)); // the verification probe of node-3 (cut: no answer)
    expect(net.state('node-1', 'node-3')).toBeUndefined(); // hearsay about a pruned member: dropped
    expect(net.state('node-1', 'node-2')).toBe('alive');
    // Through rounds with only node-1 ↔ node-3 still cut, node-1 never counts node-3 alive by hearsay.
    net.cut.delete('node-1>node-2');
    for (let i = 0; i < 4; i++) {
      await net.round();
      expect(net.state('node-1', 'node-3')).not.toBe('alive');
    }
    // Healed: node-3's own gossip (or node-1's gossip to it as a missing seed) brings it back.
    net.cut.clear();
    for (let i = 0; i < 4; i++) await net.round();
    for (const a of net.ids) for (const b of net.ids) expect(`${a} sees ${b} ${net.state(a, b)}`).toBe(`${a} sees ${b} alive`);
  });

  it('takes a pruned member back from hearsay once it answers a direct probe (a restarted member gossiping to this node)', async () => {
    const net = new Net(3);
    await net.round();
    const n1 = net.nodes.get('node-1')!;
    net.cut.add('node-1>node-2').add('node-1>node-3');
    for (let i = 0; i < 12 && n1.table.has('node-3'); i++) await net.round();
    expect(n1.table.has('node-3')).toBe(false);
    net.cut.clear();
    const stale = net.nodes.get('node-2')!.table.gossipPayload().find((e) => e.id === 'node-3')!;
    n1.fd.handleGossip([stale], '10.0.0.2'); // an address, not the member's ID: not first-hand
    await until(() => n1.table.get('node-3')?.state === 'alive');
  });

  it('takes a pruned member back by hearsay once its incarnation is above the one it was pruned at', async () => {
    const net = new Net(3);
    await net.round();
    const n1 = net.nodes.get('node-1')!;
    const before = n1.table.get('node-3')!.incarnation;
    net.cut.add('node-1>node-2').add('node-1>node-3');
    for (let i = 0; i < 12 && n1.table.has('node-3'); i++) await net.round();
    expect(n1.table.has('node-3')).toBe(false);
    // Local marks bumped node-3's incarnation on node-1 before it was pruned.
    const claim = { id: 'node-3', address: 'node-3:7946', state: 'alive' };
    for (let inc = before; inc <= before + 2; inc++) n1.fd.handleGossip([{ ...claim, incarnation: inc }], 'node-2');
    expect(n1.table.has('node-3')).toBe(false);
    n1.fd.handleGossip([{ ...claim, incarnation: before + 50 }], 'node-2');
    expect(n1.table.get('node-3')).toMatchObject({ state: 'alive', incarnation: before + 50 });
  });
});

describe(`${FailureDetector.name} relay choice under a partition (issue 21)`, () => {
  it('asks the relays it heard from most recently, so a peer on its own side is vouched for', async () => {
    let now = 1_000;
    const ids = ['node-2', 'node-3', 'node-4', 'node-5'];
    const table = new MembershipTable({ self: { id: 'node-1', address: 'node-1:7946' }, seeds: ids.map((id) => ({ id, address: `${id}:7946` })), now: () => now });
    now = 2_000;
    table.markAlive('node-3'); // node-3 answered lately; node-4 and node-5 (the other side) did not
    const sameSide = new Set(['node-1', 'node-2', 'node-3']);
    const fd = new FailureDetector(
      {
        table,
        metrics: metrics(),
        random: () => 0, // a shuffle that puts node-4 first
        transport: {
          probe: async (m) => {
            if (m.id !== 'node-3') throw new Error('no answer'); // node-2 is busy, 4 and 5 are cut off
          },
          probeVia: async (relay, target) => {
            if (!sameSide.has(relay.id) || !sameSide.has(target)) throw new Error('relay unreachable');
          },
          gossip: async () => [],
        },
      },
      { heartbeatIntervalMs: 1_000, indirectProbeK: 1 },
    );
    await fd.heartbeatTick();
    expect(table.get('node-2')?.state).toBe('alive');
    expect(table.get('node-4')?.state).toBe('suspect');
  });
});
