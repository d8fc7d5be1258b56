import { HyperCache } from '@hypercache/cache-engine';
import { DistributedCache } from './distributed-cache';
import { resolveDistributedCacheOptions, type DistributedCacheOptions } from './distributed-cache-options';
import { EngineLocalStore } from './engine-local-store';
import type { DistItem } from './local-store';
import type { PeerClient } from './peer-client';

/** One peer call as the scripted peers saw it: a coordinator request (forward) or a replica write. */
interface Call {
  readonly op: 'set' | 'remove';
  readonly peer: string;
  readonly forward: boolean;
  readonly version?: number;
}

/** node-1 over peers that ack every call, recording each one. */
function node(owners: string[], options: DistributedCacheOptions = {}) {
  const engine = new HyperCache<Buffer>({ nodeId: 'node-1', now: () => 1_000, expiry: 'absolute', evictionIntervalMs: 0, expirationIntervalMs: 0 });
  const store = new EngineLocalStore(engine);
  const calls: Call[] = [];
  const peers: PeerClient = {
    set: async (peer, item, replicate) => void calls.push({ op: 'set', peer, forward: replicate, version: item.version }),
    get: async (): Promise<DistItem | undefined> => undefined,
    remove: async (peer, _key, replicate, version) => void calls.push({ op: 'remove', peer, forward: replicate, version }),
    isQuorumFailure: () => false,
    isItemTooLarge: () => false,
  };
  const cache = new DistributedCache(
    { nodeId: 'node-1', store, ownership: () => ({ nodeId: 'node-1', ownersOf: () => owners }), peers, clock: engine.clock, now: () => 1_000 },
    { hintReplayIntervalMs: 0, tombstoneSweepIntervalMs: 0, ...options },
  );
  return { cache, store, calls };
}

describe(`${DistributedCache.name} write coordinator (docs/decisions.md F15, F16)`, () => {
  const replicaOwner = ['node-2', 'node-1', 'node-3'];

  it('primary: a replica owner forwards the write and the delete to the primary', async () => {
    const { cache, store, calls } = node(replicaOwner, { writeCoordinator: 'primary' });
    await cache.set('k', Buffer.from('v'), 0);
    await cache.remove('k');
    expect(calls).toEqual([
      { op: 'set', peer: 'node-2', forward: true, version: 0 },
      { op: 'remove', peer: 'node-2', forward: true, version: undefined },
    ]);
    expect(store.read('k')).toBeUndefined();
    expect(cache.metrics.ForwardSet).toBe(1);
  });

  it('owner (default): a replica owner coordinates the write itself: versions it, stores it, replicates to every other owner', async () => {
    const { cache, store, calls } = node(replicaOwner);
    expect(await cache.set('k', Buffer.from('v'), 0)).toEqual({ owners: replicaOwner, acks: 3 });
    const version = store.read('k')!.version;
    expect(version).toBeGreaterThan(0);
    expect(store.read('k')!.origin).toBe('node-1');
    expect(calls).toEqual([
      { op: 'set', peer: 'node-2', forward: false, version },
      { op: 'set', peer: 'node-3', forward: false, version },
    ]);
    expect(cache.metrics.ForwardSet).toBe(0);

    calls.length = 0;
    expect(await cache.remove('k')).toEqual({ owners: replicaOwner, acks: 3 });
    expect(store.read('k')).toBeUndefined();
    expect(calls.map((c) => [c.op, c.peer, c.forward])).toEqual([
      ['remove', 'node-2', false],
      ['remove', 'node-3', false],
    ]);
    expect(calls[0]!.version).toBeGreaterThan(version);
  });

  it('owner: a node that does not own the key still forwards to the primary', async () => {
    const { cache, calls } = node(['node-2', 'node-3', 'node-4'], { writeCoordinator: 'owner' });
    await cache.set('k', Buffer.from('v'), 0);
    expect(calls).toEqual([{ op: 'set', peer: 'node-2', forward: true, version: 0 }]);
  });

  it('rejects another value naming the option', () => {
    expect(() => resolveDistributedCacheOptions({ writeCoordinator: 'any' as 'owner' })).toThrow(/writeCoordinator/);
  });
});
