import { inProcessCluster, keyOwnedBy } from './testing/cluster-fixture';

/** node-2's version clock runs this far behind the others (a wall clock skewed between machines). */
const LAG_MS = 30_000;
const IDS = ['node-1', 'node-2', 'node-3'];

/**
 * docs/decisions.md F16: with any owner coordinating (`writeCoordinator: 'owner'`), replica
 * writes are checked. A replica holding a newer version refuses a write as stale, and its
 * coordinator issues a version above it and sends the write again. So a write acknowledged
 * after another wins even when its coordinator's clock is behind and it never saw the earlier one.
 */
describe('owner-coordinated writes under clock skew (checked replica writes, F16)', () => {
  async function skewed() {
    const f = await inProcessCluster(IDS, { options: { writeCoordinator: 'owner' }, clockOffsetMs: { 'node-2': -LAG_MS } });
    const key = keyOwnedBy(f.ring, IDS, 'skew-');
    const { cluster } = f;
    const read = (id: string) => cluster.node(id).store.read(key);
    // v1 is acknowledged by node-1 and node-3 (QUORUM) while node-2 is cut off: node-2 never holds it.
    cluster.down('node-2');
    expect((await cluster.node('node-1').cache.set(key, Buffer.from('v1'), 0)).acks).toBe(2);
    cluster.up('node-2');
    expect(read('node-2')).toBeUndefined();
    return { cluster, key, read, v1: read('node-1')!.version };
  }

  it('a later write through an owner whose clock is behind wins on every owner', async () => {
    const { cluster, key, read, v1 } = await skewed();
    const lagging = cluster.node('node-2').cache;
    expect(await lagging.set(key, Buffer.from('v2'), 0)).toEqual({ owners: IDS, acks: 3 });
    expect(lagging.writeRestamps).toBe(1);
    for (const id of IDS) {
      expect(read(id)?.value.toString()).toBe('v2');
      expect(read(id)!.version).toBeGreaterThan(v1);
    }
    // The same version everywhere: every owner holds the re-issued write.
    expect(new Set(IDS.map((id) => read(id)!.version)).size).toBe(1);
    expect(lagging.hints.size).toBe(0);
  });

  it('a later delete through an owner whose clock is behind removes the key on every owner', async () => {
    const { cluster, key, read } = await skewed();
    const lagging = cluster.node('node-2').cache;
    expect((await lagging.remove(key)).acks).toBe(3);
    expect(lagging.writeRestamps).toBe(1);
    for (const id of IDS) {
      expect(read(id)).toBeUndefined();
      expect((await cluster.node(id).cache.get(key))?.value).toBeUndefined();
    }
  });

  it('no re-issue when the replicas hold nothing newer: one version from the coordinator', async () => {
    const f = await inProcessCluster(IDS, { options: { writeCoordinator: 'owner' }, clockOffsetMs: { 'node-2': -LAG_MS } });
    const key = keyOwnedBy(f.ring, IDS, 'fresh-');
    const lagging = f.cluster.node('node-2').cache;
    await lagging.set(key, Buffer.from('a'), 0);
    expect(lagging.writeRestamps).toBe(0);
    expect(IDS.map((id) => f.cluster.node(id).store.read(key)?.origin)).toEqual(['node-2', 'node-2', 'node-2']);
  });

  it('ONE writes stay with the primary (no quorum to intersect): a replica owner forwards', async () => {
    const f = await inProcessCluster(IDS, { options: { writeCoordinator: 'owner', writeConsistency: 'ONE' } });
    const key = keyOwnedBy(f.ring, IDS, 'one-');
    await f.cluster.node('node-2').cache.set(key, Buffer.from('a'), 0);
    expect(f.cluster.node('node-2').cache.metrics.ForwardSet).toBe(1);
    expect(f.cluster.node('node-1').store.read(key)?.origin).toBe('node-1');
  });
});
