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
});
