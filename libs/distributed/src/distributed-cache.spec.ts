import { DistributedCache } from './distributed-cache';
import { NoOwnersError, QuorumFailedError } from './errors';
import { inProcessCluster, keyOwnedBy } from './testing/cluster-fixture';
import type { DistItem } from './local-store';

const ids = ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'];
const v = (s: string) => Buffer.from(s);

describe(DistributedCache.name, () => {
  describe('write path', () => {
    it('stores on every owner with one version and origin = the primary, whichever node took the write', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-2', 'node-4', 'node-1']);
      const out = await cluster.node('node-5').cache.set(key, v('hello'), 0);
      expect(out.owners).toEqual(['node-2', 'node-4', 'node-1']);
      const copies = ['node-2', 'node-4', 'node-1'].map((id) => cluster.node(id).store.read(key)!);
      for (const c of copies) {
        expect(c.value.toString()).toBe('hello');
        expect(c.version).toBe(copies[0].version);
        expect(c.origin).toBe('node-2');
        expect(c.version).toBeGreaterThanOrEqual(1);
      }
      expect(cluster.node('node-5').store.read(key)).toBeUndefined();
      expect(cluster.node('node-3').store.read(key)).toBeUndefined();
      expect(cluster.node('node-5').cache.metrics.ForwardSet).toBe(1);
    });

    it('setAlone: a write this node owns alone completes synchronously, with the version and metrics set gives', async () => {
      const { cluster, ring } = await inProcessCluster(ids, { replication: 1 });
      const key = keyOwnedBy(ring, ['node-2']);
      const n2 = cluster.node('node-2');
      await n2.cache.set(key, v('a'), 0);
      const first = n2.store.read(key)!;
      expect(n2.cache.setAlone(key, v('b'), 0)).toEqual({ owners: ['node-2'], acks: 1 });
      const second = n2.store.read(key)!;
      expect(second.value.toString()).toBe('b');
      expect(second.origin).toBe('node-2');
      expect(second.version).toBeGreaterThan(first.version);
      expect(n2.cache.metrics).toMatchObject({ WriteAttempts: 2, WriteAcks: 2 });
      // Another node is not the owner: left to set, nothing done.
      expect(cluster.node('node-1').cache.setAlone(key, v('c'), 0)).toBeUndefined();
      expect(cluster.node('node-1').cache.metrics.WriteAttempts).toBe(0);
      expect(n2.store.read(key)!.value.toString()).toBe('b');
    });

    it('setAlone leaves a replicated write to set, doing nothing', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      expect(cluster.node('node-1').cache.setAlone(key, v('x'), 0)).toBeUndefined();
      for (const id of ids) expect(cluster.node(id).store.read(key)).toBeUndefined();
      expect(cluster.node('node-1').cache.metrics.WriteAttempts).toBe(0);
    });

    it('keeps exact bytes through forwarder, primary and replicas', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      const bytes = Buffer.from([0, 0xff, 0xc3, 0x28, 0, 1]);
      await cluster.node('node-4').cache.set(key, bytes, 0);
      for (const id of ['node-1', 'node-2', 'node-3', 'node-5']) {
        expect((await cluster.node(id).cache.get(key))!.value.equals(bytes)).toBe(true);
      }
    });

    it('fails QUORUM with two of three owners down and never reports success', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      cluster.down('node-2');
      cluster.down('node-3');
      await expect(cluster.node('node-1').cache.set(key, v('x'), 0)).rejects.toBeInstanceOf(QuorumFailedError);
      expect(cluster.node('node-1').cache.metrics.WriteQuorumFailures).toBe(1);
      // Through a forwarder the quorum failure is reported, not retried as "unreachable".
      await expect(cluster.node('node-4').cache.set(key, v('y'), 0)).rejects.toBeInstanceOf(QuorumFailedError);
    });

    it('succeeds QUORUM with one replica down and hints the missing replica', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      cluster.down('node-3');
      const out = await cluster.node('node-1').cache.set(key, v('x'), 0);
      expect(out.acks).toBe(2);
      expect(cluster.node('node-1').cache.hints.pending('node-3')).toHaveLength(1);
      cluster.up('node-3');
      await cluster.node('node-1').cache.replayHints();
      expect(cluster.node('node-3').store.read(key)!.value.toString()).toBe('x');
      expect(cluster.node('node-1').cache.metrics.HintedReplayed).toBe(1);
      expect(cluster.node('node-1').cache.hints.size).toBe(0);
    });

    it('requires every owner under ALL and one under ONE', async () => {
      const all = await inProcessCluster(ids, { options: { writeConsistency: 'ALL' } });
      const key = keyOwnedBy(all.ring, ['node-1', 'node-2', 'node-3']);
      all.cluster.down('node-3');
      await expect(all.cluster.node('node-1').cache.set(key, v('x'), 0)).rejects.toBeInstanceOf(QuorumFailedError);
      const one = await inProcessCluster(ids, { options: { writeConsistency: 'ONE' } });
      one.cluster.down('node-2');
      one.cluster.down('node-3');
      await expect(one.cluster.node('node-1').cache.set(key, v('x'), 0)).resolves.toMatchObject({ acks: 1 });
    });

    it('promotes the next owner when the primary is unreachable, hinting the primary', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      cluster.down('node-1');
      await cluster.node('node-5').cache.set(key, v('promoted'), 0);
      expect(cluster.node('node-2').store.read(key)!.value.toString()).toBe('promoted');
      expect(cluster.node('node-2').store.read(key)!.origin).toBe('node-2');
      expect(cluster.node('node-2').cache.hints.pending('node-1')).toHaveLength(1);
      expect(cluster.node('node-2').cache.metrics.WriteForwardPromotion).toBe(1);
    });

    it('rejects writes with 503 INTERNAL while the ring has no owners, and treats deletes as done', async () => {
      const { cluster } = await inProcessCluster(['solo'], { replication: 1 });
      const solo = cluster.node('solo');
      const empty = new DistributedCache({
        nodeId: 'solo',
        store: solo.store,
        ownership: () => ({ nodeId: 'solo', ownersOf: () => [] }),
        peers: { set: async () => {}, get: async () => undefined, remove: async () => {}, isQuorumFailure: () => false, isItemTooLarge: () => false },
        clock: { issue: (now) => now * 1000, observe: () => {} },
        now: () => cluster.nowMs,
      });
      const err = await empty.set('k', v('x'), 0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NoOwnersError);
      expect(err).toMatchObject({ code: 'INTERNAL', status: 503 });
      await expect(empty.remove('k')).resolves.toMatchObject({ owners: [] });
      await expect(solo.cache.set('k', v('x'), 0)).resolves.toMatchObject({ owners: ['solo'], acks: 1 });
    });
  });

  describe('versions and tombstones', () => {
    it('never lets a stale item overwrite a newer one (hint, repair or forward)', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      await cluster.node('node-1').cache.set(key, v('old'), 0);
      const old = cluster.node('node-2').store.read(key)!;
      cluster.nowMs += 10;
      await cluster.node('node-1').cache.set(key, v('new'), 0);
      await cluster.node('node-2').cache.handleSet({ ...old }, false);
      expect(cluster.node('node-2').store.read(key)!.value.toString()).toBe('new');
    });

    it('breaks equal-version ties toward the smaller origin', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      const n2 = cluster.node('node-2').cache;
      const base: DistItem = { key, value: v('from-b'), version: 5_000, origin: 'node-b', ttlMs: 0, expiresAtMs: 0, lastUpdatedMs: 0 };
      expect(n2.applyIfNewer(base)).toBe(true);
      expect(n2.applyIfNewer({ ...base, value: v('from-c'), origin: 'node-c' })).toBe(false);
      expect(n2.applyIfNewer({ ...base, value: v('from-a'), origin: 'node-a' })).toBe(true);
      expect(cluster.node('node-2').store.read(key)!.value.toString()).toBe('from-a');
      expect(n2.metrics.VersionTieBreaks).toBe(1);
    });

    it('deletes on every owner with a tombstone that blocks resurrection by a stale copy', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      await cluster.node('node-4').cache.set(key, v('x'), 0);
      const stale = cluster.node('node-3').store.read(key)!;
      cluster.nowMs += 5;
      await cluster.node('node-5').cache.remove(key);
      for (const id of ids) expect(await cluster.node(id).cache.get(key)).toBeUndefined();
      for (const id of ['node-1', 'node-2', 'node-3']) expect(cluster.node(id).cache.tombstones.get(key)).toBeDefined();
      // A stale replica write (e.g. a late hint) is acknowledged and dropped.
      await cluster.node('node-3').cache.handleSet({ ...stale }, false);
      expect(cluster.node('node-3').store.read(key)).toBeUndefined();
      // A genuinely newer write clears the tombstone.
      cluster.nowMs += 5;
      await cluster.node('node-1').cache.set(key, v('again'), 0);
      expect(cluster.node('node-3').store.read(key)!.value.toString()).toBe('again');
      expect(cluster.node('node-3').cache.tombstones.get(key)).toBeUndefined();
    });

    it('hints a delete to an unreachable replica and replays it (upstream never did)', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      await cluster.node('node-1').cache.set(key, v('x'), 0);
      cluster.down('node-3');
      await cluster.node('node-1').cache.remove(key);
      expect(cluster.node('node-3').store.read(key)).toBeDefined();
      cluster.up('node-3');
      await cluster.node('node-1').cache.replayHints();
      expect(cluster.node('node-3').store.read(key)).toBeUndefined();
    });

    it('purges tombstones after their TTL', async () => {
      const { cluster, ring } = await inProcessCluster(ids, { options: { tombstoneTtlMs: 1000 } });
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      await cluster.node('node-1').cache.remove(key);
      expect(cluster.node('node-1').cache.metrics.TombstonesActive).toBe(1);
      cluster.nowMs += 1000;
      expect(cluster.node('node-1').cache.sweepTombstones()).toBe(1);
      expect(cluster.node('node-1').cache.metrics).toMatchObject({ TombstonesActive: 0, TombstonesPurged: 1 });
    });
  });

  describe('read path', () => {
    it('reads through a non-owner without caching, and read-repairs an owner that lacked the key', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      cluster.down('node-3');
      await cluster.node('node-1').cache.set(key, v('x'), 0);
      cluster.up('node-3');
      expect((await cluster.node('node-5').cache.get(key))!.value.toString()).toBe('x');
      expect(cluster.node('node-5').store.read(key)).toBeUndefined();
      expect((await cluster.node('node-3').cache.get(key))!.value.toString()).toBe('x');
      expect(cluster.node('node-3').store.read(key)).toBeDefined();
      expect(cluster.node('node-3').cache.metrics.ReadRepair).toBe(1);
    });

    it('QUORUM reads return the newest copy and repair the stale owner', async () => {
      const { cluster, ring } = await inProcessCluster(ids, { options: { readConsistency: 'QUORUM' } });
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      await cluster.node('node-1').cache.set(key, v('v1'), 0);
      cluster.down('node-3');
      cluster.nowMs += 5;
      await cluster.node('node-1').cache.set(key, v('v2'), 0);
      cluster.up('node-3');
      expect(cluster.node('node-3').store.read(key)!.value.toString()).toBe('v1');
      expect((await cluster.node('node-4').cache.get(key))!.value.toString()).toBe('v2');
      expect(cluster.node('node-3').store.read(key)!.value.toString()).toBe('v2');
    });

    it('QUORUM reads miss when too few owners answer', async () => {
      const { cluster, ring } = await inProcessCluster(ids, { options: { readConsistency: 'QUORUM' } });
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      await cluster.node('node-1').cache.set(key, v('x'), 0);
      cluster.down('node-1');
      cluster.down('node-2');
      expect(await cluster.node('node-4').cache.get(key)).toBeUndefined();
    });

    it('expires an item on every owner at write time + TTL', async () => {
      const { cluster, ring } = await inProcessCluster(ids);
      const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
      await cluster.node('node-5').cache.set(key, v('x'), 1000);
      const expiresAt = cluster.node('node-1').store.read(key)!.expiresAtMs;
      for (const id of ['node-2', 'node-3']) expect(cluster.node(id).store.read(key)!.expiresAtMs).toBe(expiresAt);
      cluster.nowMs += 1001;
      for (const id of ids) expect(await cluster.node(id).cache.get(key)).toBeUndefined();
    });
  });

  describe('hint queue', () => {
    it('drops expired hints on replay and respects the caps', async () => {
      const { cluster, ring } = await inProcessCluster(ids, { options: { hintTtlMs: 1000, hintMaxPerNode: 2, hintMaxTotal: 3 } });
      cluster.down('node-3');
      cluster.down('node-2');
      const keys = [0, 1, 2].map((i) => keyOwnedBy(ring, ['node-1', 'node-2', 'node-3'], `h${i}-`));
      for (const k of keys) await cluster.node('node-1').cache.set(k, v('x'), 0).catch(() => undefined);
      const n1 = cluster.node('node-1').cache;
      expect(n1.hints.pending('node-2').length).toBeLessThanOrEqual(2);
      expect(n1.hints.size).toBeLessThanOrEqual(3);
      expect(n1.metrics.HintedGlobalDropped).toBeGreaterThan(0);
      cluster.nowMs += 1001;
      await n1.replayHints();
      expect(n1.hints.size).toBe(0);
      expect(n1.metrics.HintedExpired).toBeGreaterThan(0);
    });
  });
});
