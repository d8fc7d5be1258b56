import { createEvictionAlgorithm } from './create-eviction-algorithm';
import { EVICTION_ERROR_CODES } from './errors';
import { createDefaultEvictionRegistry, registerArc } from './eviction-registry';
import { ShardedEviction } from './sharded-eviction';

describe(createEvictionAlgorithm.name, () => {
  const registry = createDefaultEvictionRegistry();

  it.each([undefined, 0, 1, -4])('returns a single instance when shardCount is %p', (shardCount) => {
    const algo = createEvictionAlgorithm(registry, { algorithm: 'lfu', capacity: 10, shardCount });
    expect(algo).not.toBeInstanceOf(ShardedEviction);
    expect(algo.name).toBe('lfu');
  });

  it('defaults to lru, also for an empty name', () => {
    expect(createEvictionAlgorithm(registry).name).toBe('lru');
    expect(createEvictionAlgorithm(registry, { algorithm: '' }).name).toBe('lru');
  });

  it('wraps shards when shardCount is a power of two above 1', () => {
    const algo = createEvictionAlgorithm(registry, { algorithm: 'clock', capacity: 100, shardCount: 32 });
    expect(algo).toBeInstanceOf(ShardedEviction);
    expect((algo as ShardedEviction).shardCount).toBe(32);
    expect(algo.name).toBe('clock');
  });

  it.each([3, 12, 2.5])('rejects shardCount %p', (shardCount) => {
    expect(() => createEvictionAlgorithm(registry, { shardCount })).toThrow(
      expect.objectContaining({ code: EVICTION_ERROR_CODES.invalidShardCount }),
    );
  });

  it.each([1, 4])('rejects an unknown algorithm with shardCount %i', (shardCount) => {
    expect(() => createEvictionAlgorithm(registry, { algorithm: 'arc', capacity: 8, shardCount })).toThrow(
      expect.objectContaining({ code: EVICTION_ERROR_CODES.algorithmNotFound }),
    );
  });

  it('uses custom registrations, including ARC, from the registry it is given', () => {
    const withArc = registerArc(createDefaultEvictionRegistry());
    expect(createEvictionAlgorithm(withArc, { algorithm: 'arc', capacity: 8, shardCount: 2 }).name).toBe('arc');
  });

  it.each([1, 4])('passes capacity and cacheCapacity to the factory (per shard, rounded up) with shardCount %i', (shardCount) => {
    const calls: number[][] = [];
    const spy = createDefaultEvictionRegistry().register('spy', (capacity, cacheCapacity) => {
      calls.push([capacity, cacheCapacity as number]);
      return createDefaultEvictionRegistry().create('lru', capacity);
    });
    createEvictionAlgorithm(spy, { algorithm: 'spy', capacity: 21, cacheCapacity: 9, shardCount });
    expect(calls).toEqual(Array.from({ length: shardCount }, () => [Math.ceil(21 / shardCount), Math.ceil(9 / shardCount)]));
    calls.length = 0;
    createEvictionAlgorithm(spy, { algorithm: 'spy', capacity: 21, shardCount });
    expect(calls[0]).toEqual([Math.ceil(21 / shardCount), Math.ceil(21 / shardCount)]);
  });
});
