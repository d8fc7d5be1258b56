import { RingTopology } from '@hypercache/membership';
import { AntiEntropy, bucketCountFor, type AntiEntropyPeers } from './anti-entropy';
import { inProcessCluster, keyOwnedBy } from './testing/cluster-fixture';
import type { DistItem } from './local-store';

const IDS = ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'];

async function setup() {
  const { cluster, ring, engines } = await inProcessCluster(IDS);
  const ae = new Map<string, AntiEntropy>();
  const peersFor = (from: string): AntiEntropyPeers => ({
    tree: async (to, buckets) => ae.get(to)!.buildTree(from, buckets),
    entries: async (to, buckets, idx) => ae.get(to)!.entriesIn(from, buckets, idx),
    get: async (to, key) => cluster.node(to).cache.handleGet(key),
  });
  for (const id of IDS) {
    const cache = cluster.node(id).cache;
    ae.set(
      id,
      new AntiEntropy(
        {
          nodeId: id,
          dist: cache,
          ownership: () => new RingTopology(id, ring),
          peers: peersFor(id),
          syncPeers: () => IDS,
          metrics: cache.metrics,
        },
        { chunkSize: 4 },
      ),
    );
  }
  return { cluster, ring, engines, ae };
}

describe('AntiEntropy (per-peer Merkle trees over shared ownership)', () => {
  it('sizes buckets as the next power of two of entries / chunk', () => {
    expect(bucketCountFor(0, 128)).toBe(1);
    expect(bucketCountFor(128, 128)).toBe(1);
    expect(bucketCountFor(129, 128)).toBe(2);
    expect(bucketCountFor(10_000_000, 1)).toBe(4096);
  });

  it('a node that lost its data pulls back every key it shares with a peer, then syncs clean', async () => {
    const { cluster, ring, engines, ae } = await setup();
    const keys = Array.from({ length: 60 }, (_, i) => `key-${i}`);
    for (const k of keys) await cluster.node('node-1').cache.set(k, Buffer.from(`v-${k}`), 0);
    engines.get('node-3')!.clear();
    let pulled = 0;
    for (const peer of ['node-1', 'node-2', 'node-4', 'node-5']) pulled += (await ae.get('node-3')!.syncWith(peer)).pulled;
    const owned = keys.filter((k) => ring.ownersOf(k).includes('node-3'));
    expect(owned.length).toBeGreaterThan(10);
    expect(pulled).toBe(owned.length);
    for (const k of owned) expect(cluster.node('node-3').cache.handleGet(k)?.value.toString()).toBe(`v-${k}`);
    // Nothing it does not own was copied in.
    expect(cluster.node('node-3').cache.localKeys().sort()).toEqual(owned.sort());
    const m = cluster.node('node-3').cache.metrics;
    expect(m.MerkleKeysPulled).toBe(owned.length);
    expect(m.MerkleSyncs).toBeGreaterThan(0);
    for (const peer of ['node-1', 'node-2']) expect(await ae.get('node-3')!.syncWith(peer)).toEqual({ clean: true, differingBuckets: 0, pulled: 0 });
  });

  it('never infers a delete from absence: keys the peer does not own survive a sync (upstream deletes them)', async () => {
    const { cluster, ring, ae } = await setup();
    // Owned by node-1 but not by node-2.
    const solo = Array.from({ length: 200 }, (_, i) => `solo-${i}`).filter((k) => ring.ownersOf(k).includes('node-1') && !ring.ownersOf(k).includes('node-2'));
    expect(solo.length).toBeGreaterThan(20);
    for (const k of solo) await cluster.node('node-1').cache.set(k, Buffer.from('keep'), 0);
    // A key both own that node-2 lost (no tombstone there): still no delete on node-1.
    const shared = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
    await cluster.node('node-1').cache.set(shared, Buffer.from('shared'), 0);
    cluster.node('node-2').store.delete(shared);
    await ae.get('node-1')!.syncWith('node-2');
    for (const k of [...solo, shared]) expect(cluster.node('node-1').cache.handleGet(k)).toBeDefined();
    // …and node-2, syncing from node-1, gets the shared key back.
    await ae.get('node-2')!.syncWith('node-1');
    expect(cluster.node('node-2').cache.handleGet(shared)?.value.toString()).toBe('shared');
  });

  it('pulls tombstones (a delete missed during an outage is applied) and version-compares both ways', async () => {
    const { cluster, ring, ae } = await setup();
    const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
    await cluster.node('node-1').cache.set(key, Buffer.from('old'), 0);
    cluster.down('node-3');
    await cluster.node('node-1').cache.remove(key);
    cluster.up('node-3');
    expect(cluster.node('node-1').cache.hints.pending('node-3')).toHaveLength(1); // not replayed here
    expect(cluster.node('node-3').cache.handleGet(key)).toBeDefined();
    await ae.get('node-3')!.syncWith('node-1');
    expect(cluster.node('node-3').cache.handleGet(key)).toBeUndefined();
    expect(cluster.node('node-3').cache.localStamp(key)?.tombstone).toBe(true);

    // A newer write on node-3 is not undone by node-1's older tombstone, and node-1 adopts it.
    cluster.nowMs += 1000;
    const newer: DistItem = { key, value: Buffer.from('new'), version: cluster.nowMs * 1000 + 5, origin: 'node-3', ttlMs: 0, expiresAtMs: 0, lastUpdatedMs: cluster.nowMs };
    expect(cluster.node('node-3').cache.applyIfNewer(newer)).toBe(true);
    await ae.get('node-3')!.syncWith('node-1');
    expect(cluster.node('node-3').cache.handleGet(key)?.value.toString()).toBe('new');
    await ae.get('node-1')!.syncWith('node-3');
    expect(cluster.node('node-1').cache.handleGet(key)?.value.toString()).toBe('new');
    // A stale copy elsewhere never overwrites it.
    const stale: DistItem = { ...newer, value: Buffer.from('stale'), version: newer.version - 1 };
    cluster.node('node-2').store.write(stale);
    await ae.get('node-1')!.syncWith('node-2');
    expect(cluster.node('node-1').cache.handleGet(key)?.value.toString()).toBe('new');
  });

  it('catch-up ticks sync with every peer, then the per-tick limit applies again', async () => {
    const { ae } = await setup();
    const a = ae.get('node-1')!;
    const calls: string[][] = [];
    let tick: string[] = [];
    jest.spyOn(a, 'syncWith').mockImplementation(async (p) => {
      tick.push(p);
      return { clean: true, differingBuckets: 0, pulled: 0 };
    });
    a.requestCatchUp(2);
    for (let i = 0; i < 3; i++) {
      tick = [];
      await a.tick();
      calls.push(tick);
    }
    expect(calls.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(a.isCatchingUp).toBe(false);
  });

  it('auto-sync ticks respect the per-tick peer limit and count loops', async () => {
    const { cluster, ae } = await setup();
    const calls: string[] = [];
    const a = ae.get('node-1')!;
    const spy = jest.spyOn(a, 'syncWith').mockImplementation(async (p) => {
      calls.push(p);
      return { clean: true, differingBuckets: 0, pulled: 0 };
    });
    await a.tick();
    await a.tick();
    expect(calls).toEqual(['node-2', 'node-3', 'node-4', 'node-5']);
    const m = cluster.node('node-1').cache.metrics;
    expect(m.AutoSyncLoops).toBe(2);
    expect(m.AutoSyncCleanTicks).toBe(2);
    spy.mockRestore();
  });
});
