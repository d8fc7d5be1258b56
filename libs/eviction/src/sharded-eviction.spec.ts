import fc from 'fast-check';
import { EVICTION_ERROR_CODES } from './errors';
import type { EvictionAlgorithm } from './eviction-algorithm';
import { fnv1a32 } from '@hypercache/hashing';
import { LruEviction } from './lru-eviction';
import { ShardedEviction } from './sharded-eviction';

const lruFactory = (capacity: number): EvictionAlgorithm => new LruEviction({ capacity });

/** Hash that routes `s<i>:...` to shard i, so tests can place keys. */
const prefixHash = (key: string): number => Number(key.slice(1, key.indexOf(':')));

describe(ShardedEviction.name, () => {
  it('routes each key to shard fnv1a32(key) & (n − 1) by default', () => {
    const sut = new ShardedEviction({ shardCount: 8, factory: lruFactory });
    for (const key of ['a', 'b', 'user:42', 'ä']) expect(sut.shardIndexOf(key)).toBe(fnv1a32(key) & 7);
  });

  it('builds each shard with ceil(capacity / n) and ceil(cacheCapacity / n) (default: the capacity)', () => {
    const factory = jest.fn(lruFactory);
    new ShardedEviction({ shardCount: 4, capacity: 10, factory });
    expect(factory.mock.calls).toEqual([[3, 3], [3, 3], [3, 3], [3, 3]]);
    factory.mockClear();
    new ShardedEviction({ shardCount: 4, capacity: 10, cacheCapacity: 5, factory });
    expect(factory.mock.calls).toEqual([[3, 2], [3, 2], [3, 2], [3, 2]]);
  });

  it('takes the name of the wrapped algorithm', () => {
    expect(new ShardedEviction({ shardCount: 2, factory: lruFactory }).name).toBe('lru');
  });

  it('evicts round-robin, starting one shard further on each call and skipping empty shards', () => {
    const sut = new ShardedEviction({ shardCount: 4, factory: lruFactory, hash: prefixHash });
    for (const key of ['s0:a', 's0:b', 's1:a', 's3:a', 's3:b']) sut.set(key);
    // cursor 0 → s0:a; cursor 1 → s1:a; cursor 2 → shard 2 empty, s3:a; cursor 3 → s3:b; cursor 0 → s0:b
    expect([sut.evict(), sut.evict(), sut.evict(), sut.evict(), sut.evict(), sut.evict()]).toEqual([
      's0:a',
      's1:a',
      's3:a',
      's3:b',
      's0:b',
      undefined,
    ]);
  });

  it('keeps per-shard order: LRU within a shard', () => {
    const sut = new ShardedEviction({ shardCount: 2, factory: lruFactory, hash: prefixHash });
    sut.set('s0:a');
    sut.set('s0:b');
    sut.get('s0:a');
    expect(sut.evict()).toBe('s0:b');
  });

  it('behaves as a set of keys: length, get, delete and eviction agree with a plain Set', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4, 8),
        fc.array(fc.tuple(fc.constantFrom('set', 'get', 'delete', 'evict'), fc.integer({ min: 0, max: 30 })), { maxLength: 200 }),
        (shardCount, ops) => {
          const sut = new ShardedEviction({ shardCount, factory: lruFactory });
          const model = new Set<string>();
          for (const [kind, i] of ops) {
            const key = `k${i}`;
            if (kind === 'set') {
              sut.set(key);
              model.add(key);
            } else if (kind === 'get') expect(sut.get(key)).toBe(model.has(key));
            else if (kind === 'delete') expect(sut.delete(key)).toBe(model.delete(key));
            else {
              const victim = sut.evict();
              expect(victim === undefined ? model.size === 0 : model.delete(victim)).toBe(true);
            }
            expect(sut.length).toBe(model.size);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('clears every shard and resets the cursor', () => {
    const sut = new ShardedEviction({ shardCount: 2, factory: lruFactory, hash: prefixHash });
    sut.set('s0:a');
    sut.set('s1:a');
    sut.evict();
    sut.clear();
    expect(sut.length).toBe(0);
    sut.set('s1:b');
    sut.set('s0:b');
    expect(sut.evict()).toBe('s0:b');
  });

  it.each([0, -2, 3, 6, 1.5, Number.NaN])('rejects shardCount %p', (shardCount) => {
    expect(() => new ShardedEviction({ shardCount, factory: lruFactory })).toThrow(
      expect.objectContaining({ code: EVICTION_ERROR_CODES.invalidShardCount }),
    );
  });

  it('rejects a negative total capacity', () => {
    expect(() => new ShardedEviction({ shardCount: 2, capacity: -1, factory: lruFactory })).toThrow(
      expect.objectContaining({ code: EVICTION_ERROR_CODES.negativeCapacity }),
    );
  });
});
