import { HyperCache } from '@hypercache/cache-engine';
import { ManualTimers } from '@hypercache/loops/testing';
import { DistributedCache, type IsolationDrop } from './distributed-cache';
import { EngineLocalStore } from './engine-local-store';
import type { DistItem } from './local-store';
import type { PeerClient } from './peer-client';

const TOMBSTONE_TTL_MS = 10_000;
const LIMIT_MS = TOMBSTONE_TTL_MS / 2;

/**
 * One owner of every key in a 3-member cluster whose peers never answer; the test sets what the
 * membership view shows (`reachable`), moves the wall clock (`nowMs`) and runs the watch loop.
 */
function node(o: { tombstoneTtlMs?: number; withMembership?: boolean; reachableAtBoot?: number } = {}) {
  const t = { nowMs: 1_000_000, reachable: o.reachableAtBoot ?? 3 };
  const timers = new ManualTimers();
  const engine = new HyperCache<Buffer>({ nodeId: 'node-3', now: () => t.nowMs, expiry: 'absolute', evictionIntervalMs: 0, expirationIntervalMs: 0 });
  const unreachable = () => Promise.reject(new Error('unreachable'));
  const peers: PeerClient = {
    set: unreachable,
    get: unreachable,
    remove: unreachable,
    isQuorumFailure: () => false,
    isItemTooLarge: () => false,
    isUnreachable: () => true,
  };
  const drops: IsolationDrop[] = [];
  const cache = new DistributedCache(
    {
      nodeId: 'node-3',
      store: new EngineLocalStore(engine),
      ownership: () => ({ nodeId: 'node-3', ownersOf: () => ['node-3', 'node-1', 'node-2'] }),
      peers,
      clock: engine.clock,
      now: () => t.nowMs,
      membership: o.withMembership === false ? undefined : { knownCount: () => 3, reachableCount: () => t.reachable, suspects: () => [], isReachable: () => true },
      timers,
      onIsolationDrop: (d) => drops.push(d),
    },
    { tombstoneTtlMs: o.tombstoneTtlMs ?? TOMBSTONE_TTL_MS, tombstoneSweepIntervalMs: 0, hintReplayIntervalMs: 0 },
  );
  cache.start();
  // Wall clock and the loop's timers advance together (a running node).
  const run = async (ms: number) => {
    for (let left = ms; left > 0; left -= 100) {
      t.nowMs += Math.min(100, left);
      await timers.advance(Math.min(100, left));
    }
  };
  return { cache, t, run, drops, engine };
}

const item = (key: string, version: number): DistItem => ({
  key,
  value: Buffer.from(`v-${key}`),
  version,
  origin: 'node-1',
  ttlMs: 0,
  expiresAtMs: 0,
  lastUpdatedMs: 1,
});

describe(`${DistributedCache.name} without a majority for longer than half the tombstone TTL (docs/decisions.md D19)`, () => {
  it('a node cut off from the majority drops its items, tombstones and hints once the limit passes, not before', async () => {
    const sut = node();
    sut.cache.applyIfNewer(item('stale', 5));
    sut.cache.applyTombstone('gone', { version: 6, origin: 'node-1' });
    sut.cache.hints.enqueue('node-1', { kind: 'remove', key: 'gone', bytes: 4, version: 6, origin: 'node-1' }, sut.t.nowMs);
    sut.t.reachable = 1; // only itself
    await sut.run(LIMIT_MS - 1_000);
    expect(sut.cache.handleGet('stale')?.version).toBe(5);
    expect(sut.drops).toEqual([]);
    await sut.run(2_000);
    expect(sut.drops).toEqual([{ isolatedMs: expect.any(Number), items: 1, tombstones: 1, hints: 1 }]);
    expect(sut.drops[0]!.isolatedMs).toBeGreaterThan(LIMIT_MS);
    expect(sut.cache.handleGet('stale')).toBeUndefined();
    expect(sut.cache.localStamp('gone')).toBeUndefined();
    expect(sut.cache.hints.size).toBe(0);
    expect(sut.cache.isolationDrops).toBe(1);
    sut.cache.stop();
  });

  it('a node that resumes from a pause longer than the limit drops its data before its first answer, although its frozen view still shows a majority', () => {
    const sut = node();
    sut.cache.applyIfNewer(item('stale', 5));
    // Paused: no timer ran, the view was frozen (everyone alive), only the wall clock moved on.
    sut.t.nowMs += LIMIT_MS + 1;
    // The first thing it does on resume is answer a read (the fast path, a peer's GET, a Merkle exchange).
    expect(sut.cache.localValue('stale')).toBeUndefined();
    expect(sut.cache.handleGet('stale')).toBeUndefined();
    expect(sut.cache.stampedKeys()).toEqual([]);
    expect(sut.drops).toHaveLength(1);
    sut.cache.stop();
  });

  it('drops nothing while a majority stays alive, however long it runs; data written after a drop stays', async () => {
    const sut = node();
    sut.cache.applyIfNewer(item('kept', 5));
    await sut.run(3 * LIMIT_MS);
    expect(sut.cache.localValue('kept')?.toString()).toBe('v-kept');
    expect(sut.drops).toEqual([]);
    // Cut off past the limit, then back: one drop; a write applied after it is kept.
    sut.t.reachable = 1;
    await sut.run(LIMIT_MS + 1_000);
    sut.t.reachable = 3;
    expect(sut.drops).toHaveLength(1);
    sut.cache.applyIfNewer(item('after', 9));
    await sut.run(3 * LIMIT_MS);
    expect(sut.cache.handleGet('after')?.version).toBe(9);
    expect(sut.drops).toHaveLength(1);
    sut.cache.stop();
  });

  it('arms at the first majority: a node booting before its peers keeps what it received meanwhile', async () => {
    const sut = node({ reachableAtBoot: 1 });
    await sut.run(LIMIT_MS + 1_000);
    sut.cache.applyIfNewer(item('early', 5));
    sut.t.reachable = 3;
    expect(sut.cache.handleGet('early')?.version).toBe(5);
    await sut.run(1_000);
    expect(sut.cache.handleGet('early')?.version).toBe(5);
    expect(sut.drops).toEqual([]);
    sut.cache.stop();
  });

  it('is off when tombstones are kept forever or there is no membership view (nothing can be forgotten, or no cluster)', () => {
    for (const o of [{ tombstoneTtlMs: 0 }, { withMembership: false }]) {
      const sut = node(o);
      sut.cache.applyIfNewer(item('k', 5));
      sut.t.nowMs += 100 * TOMBSTONE_TTL_MS;
      sut.t.reachable = 1;
      expect(sut.cache.localValue('k')?.toString()).toBe('v-k');
      expect(sut.drops).toEqual([]);
      sut.cache.stop();
    }
  });
});
