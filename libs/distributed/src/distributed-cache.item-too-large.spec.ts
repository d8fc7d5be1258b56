import { DistributedCache } from './distributed-cache';
import { ItemRefusedError } from './errors';
import { inProcessCluster, keyOwnedBy } from './testing/cluster-fixture';

// An owner whose memory limit (HYPERCACHE_MAX_MEMORY: engine `cacheFullPolicy: 'evict'`) is below an
// item refuses it with ITEM_TOO_LARGE. Nobody drops it silently: the client gets 413 unless the write
// consistency is still met, refusals are counted, and they are never hinted (a replay would fail again).
const ids = ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'];
const limited = (small: readonly string[]) => (id: string) =>
  small.includes(id) ? { maxCacheSizeBytes: 100, cacheFullPolicy: 'evict' as const } : {};
const big = Buffer.alloc(500, 1);

describe(`${DistributedCache.name} items larger than an owner's memory limit`, () => {
  it('a primary that refuses answers ITEM_TOO_LARGE, also through a forwarder, and nothing is stored or hinted', async () => {
    const { cluster, ring } = await inProcessCluster(ids, { engine: limited(['node-1']) });
    const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
    await expect(cluster.node('node-1').cache.set(key, big, 0)).rejects.toMatchObject({ code: 'ITEM_TOO_LARGE' });
    const viaForwarder = cluster.node('node-5').cache.set(key, big, 0);
    await expect(viaForwarder).rejects.toBeInstanceOf(ItemRefusedError);
    await expect(viaForwarder).rejects.toMatchObject({ code: 'ITEM_TOO_LARGE', status: 413 });
    for (const id of ids) {
      expect(cluster.node(id).store.read(key)).toBeUndefined();
      expect(cluster.node(id).cache.hints.size).toBe(0);
    }
  });

  it('replicas that refuse below the write consistency make the coordinator answer ITEM_TOO_LARGE, not hint', async () => {
    const { cluster, ring } = await inProcessCluster(ids, { engine: limited(['node-2', 'node-3']) });
    const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
    const write = cluster.node('node-4').cache.set(key, big, 0);
    await expect(write).rejects.toMatchObject({ code: 'ITEM_TOO_LARGE', status: 413 });
    const primary = cluster.node('node-1').cache;
    expect(primary.replicaTooLarge).toBe(2);
    expect(primary.metrics.WriteQuorumFailures).toBe(1);
    expect(primary.hints.size).toBe(0);
  });

  it('one replica refusing while QUORUM is met: the write succeeds, the refusal is counted and not hinted', async () => {
    const { cluster, ring } = await inProcessCluster(ids, { engine: limited(['node-3']) });
    const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
    await expect(cluster.node('node-1').cache.set(key, big, 0)).resolves.toMatchObject({ acks: 2 });
    expect(cluster.node('node-1').cache.replicaTooLarge).toBe(1);
    expect(cluster.node('node-1').cache.hints.size).toBe(0);
    expect(cluster.node('node-2').store.read(key)?.value.equals(big)).toBe(true);
    expect(cluster.node('node-3').store.read(key)).toBeUndefined();
  });

  it('a read through an owner whose limit is below the item still returns it (no read-repair, no error)', async () => {
    const { cluster, ring } = await inProcessCluster(ids, { engine: limited(['node-3']) });
    const key = keyOwnedBy(ring, ['node-1', 'node-2', 'node-3']);
    await cluster.node('node-1').cache.set(key, big, 0);
    const read = await cluster.node('node-3').cache.get(key);
    expect(read?.value.equals(big)).toBe(true);
    expect(cluster.node('node-3').store.read(key)).toBeUndefined();
  });
});
