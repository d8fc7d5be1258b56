import { HyperCache } from '@hypercache/cache-engine';
import { DistributedCache } from './distributed-cache';
import type { DistributedCacheOptions } from './distributed-cache-options';
import { EngineLocalStore } from './engine-local-store';
import { ForwardExpiredError } from './errors';
import type { DistItem } from './local-store';
import type { PeerClient } from './peer-client';
import { forwardDeadlineOf, forwardDeadlineOrigin } from './write-path';
import type { MembershipView } from './write-quorum';

/** Five known members, all alive until the test suspects some (no answer since: no evidence). */
function view() {
  const suspects = new Set<string>();
  const membership: MembershipView = {
    knownCount: () => 5,
    reachableCount: () => 5 - suspects.size,
    suspects: () => [...suspects],
    isReachable: (id) => !suspects.has(id),
  };
  return { membership, suspect: (...ids: string[]) => ids.forEach((id) => suspects.add(id)) };
}

const v = (s: string) => Buffer.from(s);

class Unreachable extends Error {}

interface Call {
  readonly peer: string;
  readonly op: 'set' | 'remove';
  /** The deadline the coordinator request carried (undefined = none). */
  readonly notAfter: number | undefined;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Node-1 over scripted peers: `hang` peers keep their calls pending until the test settles them
 * (a dropped packet), every other peer acks at once. `nowMs` is the injected clock.
 */
function node(o: { owners: string[]; hang?: string[]; expireOnce?: string[]; options?: DistributedCacheOptions; membership?: MembershipView }) {
  const clock = { nowMs: 1_800_000_000_000 };
  const engine = new HyperCache<Buffer>({ nodeId: 'node-1', now: () => clock.nowMs, expiry: 'absolute', evictionIntervalMs: 0, expirationIntervalMs: 0 });
  const store = new EngineLocalStore(engine);
  const calls: Call[] = [];
  const call = (peer: string, op: Call['op'], origin: string | undefined): Promise<void> =>
    new Promise((resolve, reject) => {
      calls.push({ peer, op, notAfter: forwardDeadlineOf(origin), resolve, reject });
      if (o.expireOnce?.includes(peer) && calls.filter((c) => c.peer === peer).length === 1) reject(new ForwardExpiredError(1));
      else if (!o.hang?.includes(peer)) resolve();
    });
  const peers: PeerClient = {
    set: (peer, item) => call(peer, 'set', item.origin),
    get: async (): Promise<DistItem | undefined> => undefined,
    remove: (peer, _key, _replicate, _version, origin) => call(peer, 'remove', origin),
    isQuorumFailure: () => false,
    isItemTooLarge: () => false,
    isUnreachable: (e) => e instanceof Unreachable,
    isForwardExpired: (e) => e instanceof ForwardExpiredError,
  };
  const cache = new DistributedCache(
    { nodeId: 'node-1', store, ownership: () => ({ nodeId: 'node-1', ownersOf: () => o.owners }), peers, clock: engine.clock, now: () => clock.nowMs, membership: o.membership },
    { hintReplayIntervalMs: 0, tombstoneSweepIntervalMs: 0, ...o.options },
  );
  return { cache, store, calls, clock };
}

/** Resolves with `'pending'` when `p` has not settled within `ms` (a deadline, not a wait for state). */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms).unref())]);
}

const coordinatorRequest = (origin: string): DistItem => ({ key: 'k', value: v('late'), version: 0, origin, ttlMs: 0, expiresAtMs: 0, lastUpdatedMs: 0 });

describe(`${DistributedCache.name} forward hedging (docs/decisions.md F10)`, () => {
  it('asks the next owner when the primary leaves a forward unanswered past its deadline, without waiting for the peer timeout', async () => {
    const sut = node({ owners: ['node-2', 'node-3', 'node-4'], hang: ['node-2'], options: { forwardHedgeMs: 40 } });
    const out = await within(sut.cache.set('k', v('x'), 0), 2_000);
    expect(out).toMatchObject({ owners: ['node-2', 'node-3', 'node-4'], acks: 0 });
    expect(sut.calls.map((c) => c.peer)).toEqual(['node-2', 'node-3']);
    // The forward to the silent primary carried its deadline: 40 ms (+1 ms per 2 KiB) after sending.
    expect(sut.calls[0].notAfter).toBe(sut.clock.nowMs + 40 + 1);
    expect(sut.cache.metrics.WriteForwardPromotion).toBe(1);
  });

  it('hedges a forwarded delete the same way', async () => {
    const sut = node({ owners: ['node-2', 'node-3', 'node-4'], hang: ['node-2'], options: { forwardHedgeMs: 40 } });
    expect(await within(sut.cache.remove('k'), 2_000)).toMatchObject({ acks: 0 });
    expect(sut.calls.map((c) => [c.peer, c.op])).toEqual([
      ['node-2', 'remove'],
      ['node-3', 'remove'],
    ]);
    expect(sut.calls[0].notAfter).toBe(sut.clock.nowMs + 40 + 1);
  });

  it('gives the last owner a deadline too, and takes the first hedged forward that succeeds', async () => {
    const sut = node({ owners: ['node-2', 'node-3'], hang: ['node-2', 'node-3'], options: { forwardHedgeMs: 20 } });
    const write = sut.cache.set('k', v('x'), 0);
    expect(await within(write, 300)).toBe('pending');
    expect(sut.calls.map((c) => [c.peer, c.notAfter !== undefined])).toEqual([
      ['node-2', true],
      ['node-3', true],
    ]);
    // The primary answers late (it ran the forward before its deadline): that answer counts.
    sut.calls[0].resolve();
    expect(await within(write, 2_000)).toMatchObject({ acks: 0 });
  });

  it('fails only once every hedged and awaited forward failed', async () => {
    const sut = node({ owners: ['node-2', 'node-3'], hang: ['node-2', 'node-3'], options: { forwardHedgeMs: 20 } });
    const write = sut.cache.set('k', v('x'), 0).catch((e: unknown) => e);
    expect(await within(write, 300)).toBe('pending');
    sut.calls[1].reject(new Unreachable('node-3'));
    expect(await within(write, 100)).toBe('pending');
    sut.calls[0].reject(new Unreachable('node-2'));
    expect(await within(write, 2_000)).toMatchObject({ code: 'INTERNAL', status: 500 });
  });

  it('waits for a silent primary as before when hedging is off (the library default)', async () => {
    const sut = node({ owners: ['node-2', 'node-3', 'node-4'], hang: ['node-2'] });
    expect(await within(sut.cache.set('k', v('x'), 0), 300)).toBe('pending');
    expect(sut.calls.map((c) => [c.peer, c.notAfter])).toEqual([['node-2', undefined]]);
  });

  it('refuses a forwarded write or delete that arrives after its deadline, writing nothing', async () => {
    const sut = node({ owners: ['node-1', 'node-2', 'node-3'] });
    const late = forwardDeadlineOrigin(sut.clock.nowMs - 1);
    const err = await sut.cache.handleSet(coordinatorRequest(late), true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForwardExpiredError);
    expect(err).toMatchObject({ code: 'FORWARD_EXPIRED', status: 503 });
    expect(sut.store.read('k')).toBeUndefined();
    await expect(sut.cache.handleRemove('k', true, undefined, late)).rejects.toMatchObject({ code: 'FORWARD_EXPIRED' });
    expect(sut.cache.tombstones.get('k')).toBeUndefined();
    expect(sut.calls).toEqual([]);
  });

  it('runs a forward that arrives by its deadline', async () => {
    const sut = node({ owners: ['node-1', 'node-2', 'node-3'] });
    await sut.cache.handleSet(coordinatorRequest(forwardDeadlineOrigin(sut.clock.nowMs)), true);
    expect(sut.store.read('k')?.value.toString()).toBe('late');
    expect(sut.store.read('k')?.origin).toBe('node-1');
    await sut.cache.handleRemove('k', true, undefined, forwardDeadlineOrigin(sut.clock.nowMs + 10));
    expect(sut.store.read('k')).toBeUndefined();
  });

  it('rejects a negative forwardHedgeMs, naming the option', () => {
    expect(() => node({ owners: ['node-1'], options: { forwardHedgeMs: -1 } })).toThrow(/forwardHedgeMs/);
  });

  it('stops waiting for replicas once they are known unreachable (suspected, no answer within reachEvidenceMs), and still hints them', async () => {
    const v5 = view();
    const sut = node({ owners: ['node-1', 'node-2', 'node-3'], hang: ['node-2', 'node-3'], membership: v5.membership, options: { replication: 3, reachEvidenceMs: 900 } });
    const write = sut.cache.set('k', v('x'), 0).catch((e: unknown) => e);
    expect(await within(write, 300)).toBe('pending');
    v5.suspect('node-2', 'node-3'); // a 2 | 3 split: both replicas on the other side
    expect(await within(write, 1_000)).toMatchObject({ code: 'INTERNAL', status: 500, name: 'QuorumFailedError' });
    // Their calls were left running; when they fail at the peer timeout, they are hinted.
    for (const c of sut.calls) c.reject(new Unreachable(c.peer));
    await new Promise((r) => setImmediate(r));
    expect(sut.cache.hints.pending('node-2')).toHaveLength(1);
    expect(sut.cache.hints.pending('node-3')).toHaveLength(1);
  });

  it('stops waiting for forwards once every owner still asked is known unreachable', async () => {
    const v5 = view();
    const sut = node({ owners: ['node-2', 'node-3'], hang: ['node-2', 'node-3'], membership: v5.membership, options: { replication: 2, reachEvidenceMs: 900, forwardHedgeMs: 20 } });
    const write = sut.cache.set('k', v('x'), 0).catch((e: unknown) => e);
    expect(await within(write, 300)).toBe('pending');
    v5.suspect('node-2');
    expect(await within(write, 300)).toBe('pending'); // node-3 may still answer
    v5.suspect('node-3');
    expect(await within(write, 1_000)).toMatchObject({ code: 'INTERNAL', status: 500 });
  });

  it('stops waiting once the reachable owner has failed and the owners still asked are known unreachable', async () => {
    const v5 = view();
    const sut = node({ owners: ['node-2', 'node-3', 'node-4'], hang: ['node-2', 'node-3', 'node-4'], membership: v5.membership, options: { replication: 3, reachEvidenceMs: 900, forwardHedgeMs: 20 } });
    const write = sut.cache.set('k', v('x'), 0).catch((e: unknown) => e);
    while (sut.calls.length < 3) await new Promise((r) => setTimeout(r, 5));
    // node-3 coordinated and failed (e.g. it could not reach a quorum either); the others stay silent.
    sut.calls[1].reject(new Error('consistency quorum not achieved'));
    expect(await within(write, 300)).toBe('pending'); // node-2 and node-4 may still answer
    v5.suspect('node-2', 'node-4');
    expect(await within(write, 1_000)).toMatchObject({ code: 'INTERNAL', status: 500 });
  });

  it('answers only once no other forward of the write can still start (the last one sent is past its deadline)', async () => {
    const sut = node({ owners: ['node-2', 'node-3', 'node-4'], hang: ['node-2', 'node-3'], options: { forwardHedgeMs: 150 } });
    const write = sut.cache.set('k', v('x'), 0);
    const until = async (n: number) => {
      while (sut.calls.length < n) await new Promise((r) => setTimeout(r, 5));
    };
    await until(2); // node-2 hedged after 251 ms, node-3 asked
    sut.calls[0].resolve(); // the primary ran the first forward in time; its answer arrives late
    // node-3's forward may still start until its deadline (151 ms after it was sent) + 100 ms.
    expect(await within(write, 120)).toBe('pending');
    expect(await within(write, 1_000)).toMatchObject({ acks: 0 });
    expect(sut.calls.map((c) => c.peer)).toEqual(['node-2', 'node-3']);
  });

  it('asks an owner that refused a forward as late again, with a doubled deadline', async () => {
    const sut = node({ owners: ['node-2', 'node-3'], expireOnce: ['node-2', 'node-3'], options: { forwardHedgeMs: 40 } });
    expect(await within(sut.cache.set('k', v('x'), 0), 2_000)).toMatchObject({ acks: 0 });
    const t0 = sut.clock.nowMs;
    expect(sut.calls.map((c) => [c.peer, (c.notAfter ?? 0) - t0])).toEqual([
      ['node-2', 41],
      ['node-3', 41],
      ['node-2', 81],
    ]);
  });

  it('asks once more without a deadline when every hedged forward was refused as late (owners alive but slow)', async () => {
    const sut = node({ owners: ['node-2', 'node-3'], hang: ['node-2', 'node-3'], options: { forwardHedgeMs: 20 } });
    const write = sut.cache.set('k', v('x'), 0);
    expect(await within(write, 300)).toBe('pending');
    sut.calls[0].reject(new ForwardExpiredError(5));
    sut.calls[1].reject(new ForwardExpiredError(5));
    while (sut.calls.length < 3) await new Promise((r) => setTimeout(r, 5));
    expect([sut.calls[2].peer, sut.calls[2].notAfter]).toEqual(['node-2', undefined]);
    sut.calls[2].resolve();
    expect(await within(write, 1_000)).toMatchObject({ acks: 0 });
  });

  it('does not hedge a forward of more than 256 KiB: its transfer dominates, a second copy would only add load', async () => {
    const sut = node({ owners: ['node-2', 'node-3', 'node-4'], hang: ['node-2'], options: { forwardHedgeMs: 20 } });
    expect(await within(sut.cache.set('k', Buffer.alloc(300 * 1024), 0), 300)).toBe('pending');
    expect(sut.calls.map((c) => [c.peer, c.notAfter])).toEqual([['node-2', undefined]]);
  });

  it('keeps waiting for the replicas of an item over 256 KiB although they are suspected (busy receiving it)', async () => {
    const v5 = view();
    const sut = node({ owners: ['node-1', 'node-2', 'node-3'], hang: ['node-2', 'node-3'], membership: v5.membership, options: { replication: 3, reachEvidenceMs: 900 } });
    const write = sut.cache.set('k', Buffer.alloc(300 * 1024), 0);
    expect(await within(write, 200)).toBe('pending');
    v5.suspect('node-2', 'node-3');
    expect(await within(write, 500)).toBe('pending');
    sut.calls[0].resolve();
    expect(await within(write, 1_000)).toMatchObject({ acks: 2 });
  });
});
