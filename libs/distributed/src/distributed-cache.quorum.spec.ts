import { HyperCache } from '@hypercache/cache-engine';
import { DistributedCache } from './distributed-cache';
import type { DistributedCacheOptions } from './distributed-cache-options';
import { EngineLocalStore } from './engine-local-store';
import { QuorumFailedError, QuorumUnavailableError } from './errors';
import type { DistItem } from './local-store';
import type { PeerClient } from './peer-client';
import type { MembershipView } from './write-quorum';

const v = (s: string) => Buffer.from(s);

class Unreachable extends Error {}

/** A peer whose calls stay pending until the test settles them (a dropped packet, not a refused connection). */
interface Hanging {
  readonly pending: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
}

/**
 * One coordinator node over scripted peers: `answer` peers ack at once, `hang` peers never answer
 * until released, `down` peers fail as unreachable at once.
 */
function node(o: {
  owners: string[];
  answer?: string[];
  hang?: string[];
  down?: string[];
  membership?: MembershipView;
  options?: DistributedCacheOptions;
}) {
  let nowMs = 1_000;
  const engine = new HyperCache<Buffer>({ nodeId: 'node-1', now: () => nowMs, expiry: 'absolute', evictionIntervalMs: 0, expirationIntervalMs: 0 });
  const store = new EngineLocalStore(engine);
  const hanging: Hanging = { pending: [] };
  const calls: string[] = [];
  const call = (peer: string): Promise<void> => {
    calls.push(peer);
    if (o.hang?.includes(peer)) return new Promise((resolve, reject) => hanging.pending.push({ resolve, reject }));
    if (o.down?.includes(peer)) return Promise.reject(new Unreachable(peer));
    return Promise.resolve();
  };
  const peers: PeerClient = {
    set: (peer) => call(peer),
    get: async (peer): Promise<DistItem | undefined> => {
      await call(peer);
      return undefined;
    },
    remove: (peer) => call(peer),
    isQuorumFailure: () => false,
    isItemTooLarge: () => false,
    isUnreachable: (e) => e instanceof Unreachable,
  };
  const cache = new DistributedCache(
    { nodeId: 'node-1', store, ownership: () => ({ nodeId: 'node-1', ownersOf: () => o.owners }), peers, clock: engine.clock, now: () => nowMs, membership: o.membership },
    { hintReplayIntervalMs: 0, tombstoneSweepIntervalMs: 0, ...o.options },
  );
  return { cache, store, hanging, calls, advance: (ms: number) => (nowMs += ms) };
}

/** Resolves with `'pending'` when `p` has not settled within `ms` (a deadline, not a wait for state). */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms).unref())]);
}

const view = (known: number, reachable: number, unreachable: string[] = []): MembershipView => ({
  knownCount: () => known,
  reachableCount: () => reachable,
  suspects: () => [],
  isReachable: (id) => !unreachable.includes(id),
});

describe(`${DistributedCache.name} write quorum under faults (issue 21)`, () => {
  it('answers a QUORUM write once the primary and one replica acked, without waiting for the silent replica, and hints it', async () => {
    const sut = node({ owners: ['node-1', 'node-2', 'node-3'], answer: ['node-2'], hang: ['node-3'] });
    const out = await within(sut.cache.set('k', v('x'), 0), 2_000);
    expect(out).toMatchObject({ acks: 2 });
    // The silent replica times out later: it gets a hint then.
    sut.hanging.pending.forEach((p) => p.reject(new Unreachable('node-3')));
    await new Promise((r) => setImmediate(r));
    expect(sut.cache.hints.pending('node-3')).toHaveLength(1);
  });

  it('answers a QUORUM delete without waiting for the silent replica', async () => {
    const sut = node({ owners: ['node-1', 'node-2', 'node-3'], hang: ['node-3'] });
    expect(await within(sut.cache.remove('k'), 2_000)).toMatchObject({ acks: 2 });
  });

  it('tries an owner whose last call failed as unreachable last, so it stalls no further forwards', async () => {
    const sut = node({ owners: ['node-2', 'node-3', 'node-4'], down: ['node-2'] });
    await sut.cache.set('k1', v('a'), 0); // node-2 fails, node-3 coordinates
    sut.calls.length = 0;
    await sut.cache.set('k2', v('b'), 0);
    expect(sut.calls).toEqual(['node-3']);
  });

  it('tries an owner the failure detector suspects last', async () => {
    const sut = node({ owners: ['node-2', 'node-3', 'node-4'], membership: view(5, 4, ['node-2']) });
    await sut.cache.set('k', v('a'), 0);
    expect(sut.calls).toEqual(['node-3']);
  });

  it('computes QUORUM from the configured replication factor, not from a ring that shrank to this node', async () => {
    const sut = node({ owners: ['node-1'], membership: view(5, 3), options: { replication: 3 } });
    const err = await sut.cache.set('k', v('x'), 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuorumUnavailableError);
    expect(err).toMatchObject({ code: 'QUORUM_UNAVAILABLE', status: 503 });
    expect(sut.store.read('k')).toBeUndefined();
  });

  it('refuses QUORUM writes and deletes on a node that reaches no majority of the known members, touching nothing', async () => {
    const sut = node({ owners: ['node-1', 'node-2', 'node-3'], membership: view(5, 2), options: { replication: 3 } });
    await expect(sut.cache.set('k', v('x'), 0)).rejects.toMatchObject({ code: 'QUORUM_UNAVAILABLE', status: 503 });
    expect(sut.store.read('k')).toBeUndefined();
    await expect(sut.cache.remove('k')).rejects.toMatchObject({ code: 'QUORUM_UNAVAILABLE' });
    expect(sut.cache.tombstones.get('k')).toBeUndefined();
    expect(sut.calls).toEqual([]);
    // Coordinator requests from peers are refused the same way.
    await expect(sut.cache.handleSet({ key: 'k', value: v('x'), version: 0, origin: '', ttlMs: 0, expiresAtMs: 0, lastUpdatedMs: 0 }, true)).rejects.toBeInstanceOf(
      QuorumUnavailableError,
    );
  });

  it('counts a suspect that answered this node within reachEvidenceMs as reachable (a false suspicion under load refuses no write)', async () => {
    // Node-1 is a member of three; its failure detector may suspect the other two while their
    // answers to its data calls still arrive (it is too busy for 150 ms probes).
    const seen = { alive: 3, suspects: [] as string[] };
    const membership: MembershipView = {
      knownCount: () => 3,
      reachableCount: () => seen.alive,
      suspects: () => seen.suspects,
      isReachable: (id) => !seen.suspects.includes(id),
    };
    const owners = ['node-1', 'node-2', 'node-3'];
    const withEvidence = node({ owners, answer: ['node-2', 'node-3'], membership, options: { replication: 3, reachEvidenceMs: 900 } });
    const without = node({ owners, answer: ['node-2', 'node-3'], membership, options: { replication: 3 } });
    // Both peers answer a write while alive (the evidence), then both are suspected.
    await expect(withEvidence.cache.set('a', v('1'), 0)).resolves.toMatchObject({ acks: 3 });
    await expect(without.cache.set('a', v('1'), 0)).resolves.toMatchObject({ acks: 3 });
    Object.assign(seen, { alive: 1, suspects: ['node-2', 'node-3'] });
    withEvidence.advance(900);
    without.advance(900);
    await expect(withEvidence.cache.set('b', v('2'), 0)).resolves.toMatchObject({ acks: 3 });
    await expect(without.cache.set('b', v('2'), 0)).rejects.toMatchObject({ code: 'QUORUM_UNAVAILABLE' });
    // The answers to 'b' renewed the evidence; once none is recent (a partition: no call answers),
    // the suspects stop counting and the node refuses.
    withEvidence.advance(901);
    await expect(withEvidence.cache.set('c', v('3'), 0)).rejects.toMatchObject({ code: 'QUORUM_UNAVAILABLE', status: 503 });
    expect(withEvidence.store.read('c')).toBeUndefined();
  });

  it('probes unevidenced suspects once before refusing: suspects that answer let the write through, silent ones make it a 503', async () => {
    // Node-1's own event loop stalled (a loaded machine): its detector suspects both peers before
    // any data call gave evidence. A write probes them instead of refusing at once.
    const answering = new Set(['node-2', 'node-3']);
    const probes: string[] = [];
    let release: (() => void) | undefined;
    const membership: MembershipView = {
      knownCount: () => 3,
      reachableCount: () => 1,
      suspects: () => ['node-2', 'node-3'],
      isReachable: () => false,
      probe: (id) => {
        probes.push(id);
        return new Promise((resolve) => {
          release = () => resolve(answering.has(id));
          setImmediate(release);
        });
      },
    };
    const owners = ['node-1', 'node-2', 'node-3'];
    const sut = node({ owners, answer: ['node-2', 'node-3'], membership, options: { replication: 3, reachEvidenceMs: 900 } });
    // Concurrent writes share one probe per suspect.
    const [a, b] = await Promise.all([sut.cache.set('a', v('1'), 0), sut.cache.set('b', v('2'), 0)]);
    expect([a.acks, b.acks]).toEqual([3, 3]);
    expect(probes.sort()).toEqual(['node-2', 'node-3']);
    // Within the evidence window nothing is probed again.
    await sut.cache.set('c', v('3'), 0);
    expect(probes).toHaveLength(2);
    // A real partition: the evidence ages out and the probes go unanswered: refused, nothing written.
    answering.clear();
    sut.advance(901);
    await expect(sut.cache.set('d', v('4'), 0)).rejects.toMatchObject({ code: 'QUORUM_UNAVAILABLE', status: 503 });
    await expect(sut.cache.remove('a')).rejects.toMatchObject({ code: 'QUORUM_UNAVAILABLE' });
    expect(probes).toHaveLength(6);
    expect(sut.store.read('d')).toBeUndefined();
    expect(sut.store.read('a')?.value.toString()).toBe('1');
  });

  it('refuses at once a write whose owners are known unreachable beyond a quorum, though this node sees a majority (2 | 3 split, majority side)', async () => {
    const membership: MembershipView = { knownCount: () => 5, reachableCount: () => 3, suspects: () => ['node-2', 'node-3'], isReachable: (id) => !['node-2', 'node-3'].includes(id) };
    const sut = node({ owners: ['node-1', 'node-2', 'node-3'], hang: ['node-2', 'node-3'], membership, options: { replication: 3, reachEvidenceMs: 900 } });
    const err = await within(
      sut.cache.set('k', v('x'), 0).catch((e: unknown) => e),
      500,
    );
    expect(err).toMatchObject({ code: 'QUORUM_UNAVAILABLE', status: 503 });
    expect(sut.store.read('k')).toBeUndefined();
    await expect(within(sut.cache.remove('k'), 500)).rejects.toMatchObject({ code: 'QUORUM_UNAVAILABLE' });
    expect(sut.calls).toEqual([]);
    // A key with one suspected owner still has its quorum: written at once.
    const one = node({ owners: ['node-1', 'node-4', 'node-2'], hang: ['node-2'], membership, options: { replication: 3, reachEvidenceMs: 900 } });
    expect(await within(one.cache.set('k', v('x'), 0), 2_000)).toMatchObject({ acks: 2 });
  });

  it('keeps ONE writes and ONE reads working on the minority side', async () => {
    const one = node({ owners: ['node-1', 'node-2', 'node-3'], down: ['node-2', 'node-3'], membership: view(5, 1), options: { replication: 3, writeConsistency: 'ONE' } });
    await expect(one.cache.set('k', v('x'), 0)).resolves.toMatchObject({ acks: 1 });
    expect((await one.cache.get('k'))?.value.toString()).toBe('x');
  });

  it('fails a QUORUM delete that reached only the coordinator (it used to be acknowledged)', async () => {
    const sut = node({ owners: ['node-1', 'node-2', 'node-3'], down: ['node-2', 'node-3'] });
    await expect(sut.cache.remove('k')).rejects.toBeInstanceOf(QuorumFailedError);
  });

  it('keeps upstream’s sloppy quorum as an explicit opt-in', async () => {
    const sut = node({ owners: ['node-1'], membership: view(5, 1), options: { replication: 3, sloppyQuorum: true } });
    await expect(sut.cache.set('k', v('x'), 0)).resolves.toMatchObject({ acks: 1 });
    await expect(sut.cache.remove('k')).resolves.toMatchObject({ acks: 1 });
  });
});
