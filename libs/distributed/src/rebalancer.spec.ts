import { loadXxhash64 } from '@hypercache/hashing';
import { HashRing } from '@hypercache/membership';
import type { PeerClient } from './peer-client';
import { Rebalancer } from './rebalancer';
import { inProcessCluster } from './testing/cluster-fixture';

const IDS = ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'];

describe('Rebalancer', () => {
  it('moves keys whose owners changed, hints failed migrations, and does nothing in a stable ring', async () => {
    const hasher = await loadXxhash64();
    const full = new HashRing(hasher, IDS, { replication: 3, virtualNodes: 64 });
    const small = new HashRing(hasher, IDS.slice(0, 4), { replication: 3, virtualNodes: 64 });
    let current: HashRing = full;
    const { cluster } = await inProcessCluster(IDS, { ring: () => current });
    const down = new Set<string>();
    const client = (from: string): PeerClient => ({
      set: async (to, item, replicate) => {
        if (down.has(to) || down.has(from)) throw new Error('unreachable');
        await cluster.node(to).cache.handleSet({ ...item, value: Buffer.from(item.value) }, replicate);
      },
      get: async (to, key) => cluster.node(to).cache.handleGet(key),
      remove: async (to, key, replicate, version, origin) => cluster.node(to).cache.handleRemove(key, replicate, version, origin),
      isQuorumFailure: () => false,
        isItemTooLarge: () => false,
    });
    const reb = new Map(
      IDS.map((id) => [
        id,
        new Rebalancer({ nodeId: id, dist: cluster.node(id).cache, ring: () => current, peers: client(id), now: () => cluster.nowMs, metrics: cluster.node(id).cache.metrics }),
      ]),
    );
    const keys = Array.from({ length: 80 }, (_, i) => `rb-${i}`);
    for (const k of keys) await cluster.node('node-2').cache.set(k, Buffer.from(k), 0);
    const tickAll = async () => {
      for (const id of IDS) if (!down.has(id)) await reb.get(id)!.tick();
    };
    await tickAll();
    expect(IDS.map((id) => cluster.node(id).cache.metrics.RebalancedKeys)).toEqual([0, 0, 0, 0, 0]);

    // node-5 leaves: keys it owned get a new third owner, pushed by their primary (replica diff).
    down.add('node-5');
    current = small;
    await tickAll();
    for (const k of keys) for (const o of small.ownersOf(k)) expect(cluster.node(o).cache.handleGet(k)?.value.toString()).toBe(k);
    expect(IDS.slice(0, 4).reduce((n, id) => n + cluster.node(id).cache.metrics.RebalancedReplicaDiff, 0)).toBeGreaterThan(0);

    // It returns while still unreachable: migrations to it become migration hints.
    current = full;
    await tickAll();
    const queued = IDS.slice(0, 4).reduce((n, id) => n + cluster.node(id).cache.metrics.MigrationHintQueued, 0);
    expect(queued).toBeGreaterThan(0);
    // Reachable again: hints replay and every key sits exactly on its owners.
    down.delete('node-5');
    for (const id of IDS.slice(0, 4)) await cluster.node(id).cache.replayHints();
    for (const k of keys) {
      for (const o of full.ownersOf(k)) expect(cluster.node(o).cache.handleGet(k)?.value.toString()).toBe(k);
    }
    expect(IDS.slice(0, 4).reduce((n, id) => n + cluster.node(id).cache.metrics.MigrationHintReplayed, 0)).toBe(queued);
    // Stable ring: no further work, counters flat.
    const before = IDS.map((id) => cluster.node(id).cache.metrics.RebalancedKeys);
    await tickAll();
    expect(IDS.map((id) => cluster.node(id).cache.metrics.RebalancedKeys)).toEqual(before);
  });

  it('a stale copy migrated to a primary that holds a newer tombstone is refused and the key stays deleted', async () => {
    const hasher = await loadXxhash64();
    const full = new HashRing(hasher, IDS, { replication: 2, virtualNodes: 64 });
    let current = new HashRing(hasher, IDS, { replication: 5, virtualNodes: 64 });
    const { cluster } = await inProcessCluster(IDS, { ring: () => current });
    const key = 'stale-key';
    await cluster.node('node-1').cache.set(key, Buffer.from('old'), 0);
    // A node that will lose ownership keeps a stale copy; the delete reaches only the future owners.
    const loser = IDS.find((id) => !full.ownersOf(key).includes(id))!;
    const item = cluster.node(loser).cache.handleGet(key)!;
    cluster.nowMs += 10;
    for (const id of full.ownersOf(key)) cluster.node(id).cache.applyTombstone(key, { version: item.version + 1, origin: 'node-1' });
    // The rebalancer first sees the wide ring (RF 5), then the ring shrinks to RF 2.
    const r = new Rebalancer({
      nodeId: loser,
      dist: cluster.node(loser).cache,
      ring: () => current,
      peers: {
        set: async (to, it, replicate) => cluster.node(to).cache.handleSet({ ...it, value: Buffer.from(it.value) }, replicate),
        get: async (to, k) => cluster.node(to).cache.handleGet(k),
        remove: async () => undefined,
        isQuorumFailure: () => false,
        isItemTooLarge: () => false,
      },
      now: () => cluster.nowMs,
      metrics: cluster.node(loser).cache.metrics,
    });
    current = full;
    expect(await r.tick()).toBe(1);
    expect(cluster.node(loser).cache.handleGet(key)).toBeUndefined(); // handed off and dropped
    for (const id of full.ownersOf(key)) {
      expect(cluster.node(id).cache.handleGet(key)).toBeUndefined();
      expect(cluster.node(id).cache.localStamp(key)?.tombstone).toBe(true);
    }
    expect(cluster.node(loser).cache.metrics.RebalancedPrimary).toBe(1);
  });
});
