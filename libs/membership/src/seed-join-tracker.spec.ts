import { ManualTimers } from '@hypercache/loops/testing';
import { MembershipTable } from './membership-table';
import { JoinEvidence, SeedJoinTracker } from './seed-join-tracker';

const SEEDS = [
  { id: 'node-2', address: 'hypercache-2:7946' },
  { id: 'node-3', address: 'hypercache-3:7946' },
];

// The retry loop runs on manual timers: the specs advance time instead of sleeping.
let timers: ManualTimers;
beforeEach(() => {
  timers = new ManualTimers();
});

/** Runs the retry loop's timers until `fn` holds (at most `maxRounds` timer calls). */
async function until(fn: () => boolean, maxRounds = 100): Promise<void> {
  for (let i = 0; !fn(); i++) {
    if (i >= maxRounds || !(await timers.runNext())) throw new Error('condition not met');
  }
}

describe(SeedJoinTracker.name, () => {
  it('is joined at once when the node has no seeds (a cluster of one)', () => {
    const sut = new SeedJoinTracker({ seeds: [], probe: () => Promise.reject(new Error('never called')) });
    expect(sut.isJoined).toBe(true);
    expect(sut.evidence).toBe(JoinEvidence.NoSeeds);
  });

  it('is not joined before any seed answered, and joins through the first seed whose /health answers', async () => {
    const up = new Set<string>();
    const probed: string[] = [];
    const sut = new SeedJoinTracker({
      seeds: SEEDS,
      retryMinMs: 5,
      retryMaxMs: 10,
      timers,
      probe: async (seed) => {
        probed.push(seed.id);
        if (!up.has(seed.id)) throw new Error('unreachable');
      },
    });
    sut.start();
    await until(() => probed.length >= 6);
    expect(sut.isJoined).toBe(false);
    up.add('node-3');
    await until(() => sut.isJoined);
    expect(timers.pendingDelays).toEqual([]);
    expect(sut.evidence).toBe(JoinEvidence.SeedHealth);
    expect(sut.joinedVia).toBe('node-3');
    // Latched: probing stops and a later outage does not un-join.
    const after = probed.length;
    up.clear();
    await timers.advance(40);
    expect(probed.length).toBe(after);
    expect(sut.isJoined).toBe(true);
    sut.stop();
  });

  it('joins when the membership table learns of a live peer through gossip', () => {
    const membership = new MembershipTable({ self: { id: 'node-1', address: 'hypercache-1:7946' }, seeds: SEEDS });
    const sut = new SeedJoinTracker({ seeds: SEEDS, membership, retryMinMs: 60_000, probe: () => Promise.reject(new Error('down')) });
    sut.start();
    expect(sut.isJoined).toBe(false);
    membership.markSuspect('node-2'); // not evidence of a live peer
    expect(sut.isJoined).toBe(false);
    membership.merge({ id: 'node-4', address: 'hypercache-4:7946', state: 'alive', incarnation: 1 });
    expect(sut.isJoined).toBe(true);
    expect(sut.evidence).toBe(JoinEvidence.Membership);
    expect(sut.joinedVia).toBe('node-4');
    sut.stop();
  });

  it('retries with a delay doubling from retryMinMs up to retryMaxMs', async () => {
    const sut = new SeedJoinTracker({ seeds: SEEDS, retryMinMs: 100, retryMaxMs: 700, timers, probe: () => Promise.reject(new Error('down')) });
    sut.start();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      await timers.advance(0);
      delays.push(...timers.pendingDelays);
      await timers.runNext();
    }
    expect(delays).toEqual([100, 200, 400, 700, 700]);
    sut.stop();
  });

  it('stops probing on stop() (idempotent)', async () => {
    let calls = 0;
    const sut = new SeedJoinTracker({
      seeds: SEEDS,
      retryMinMs: 5,
      retryMaxMs: 5,
      timers,
      probe: async () => {
        calls++;
        throw new Error('down');
      },
    });
    sut.stop();
    sut.start();
    sut.stop();
    sut.stop();
    await timers.advance(40);
    expect(calls).toBe(SEEDS.length); // the first round only
    expect(sut.isJoined).toBe(false);
  });

  it.each([
    ['retryMinMs', 0],
    ['retryMaxMs', -1],
    ['probeTimeoutMs', Number.NaN],
  ])('rejects %s = %s naming the option', (name, value) => {
    expect(() => new SeedJoinTracker({ seeds: [], probe: async () => undefined, [name]: value })).toThrow(name);
  });
});
