import { EvictionRegistry, LruEviction, createDefaultEvictionRegistry } from '@hypercache/eviction';
import { HyperCache } from './hyper-cache';
import { errorOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} with @hypercache/eviction`, () => {
  it('defaults to lfu from the default registry once something can be evicted', () => {
    const sut = new HyperCache<number>({ capacity: 2, evictionIntervalMs: 0 });
    expect(sut.evictionAlgorithm.name).toBe('lfu');
    sut.set('a', 1);
    sut.set('b', 2);
    sut.get('a');
    sut.get('a');
    sut.get('b');
    sut.set('c', 3);
    expect(sut.list().map((i) => i.key).sort()).toEqual(['a', 'c']);
  });

  it.each(['lru', 'lfu', 'clock', 'cawolfu'])('builds %s by name', (name) => {
    expect(new HyperCache({ capacity: 1, evictionAlgorithm: name }).evictionAlgorithm.name).toBe(name);
  });

  it('an unknown name fails construction with ALGORITHM_NOT_FOUND (arc is opt-in)', () => {
    expect(errorOf(() => new HyperCache({ capacity: 1, evictionAlgorithm: 'arc' })).code).toBe('ALGORITHM_NOT_FOUND');
  });

  it('uses the registry the caller registered into (custom algorithms reach the engine)', () => {
    const registry = createDefaultEvictionRegistry().register('mine', (c) => new LruEviction({ capacity: c }));
    expect(new HyperCache({ capacity: 1, evictionAlgorithm: 'mine', evictionRegistry: registry }).evictionAlgorithm).toBeInstanceOf(LruEviction);
  });

  it('shards the algorithm when evictionShardCount > 1', () => {
    const registry = new EvictionRegistry().register('lru', (c) => new LruEviction({ capacity: c }));
    const sut = new HyperCache<number>({ capacity: 64, evictionAlgorithm: 'lru', evictionRegistry: registry, evictionShardCount: 4, evictionIntervalMs: 0 });
    for (let i = 0; i < 100; i++) sut.set(`k${i}`, i);
    expect(sut.count()).toBe(64);
    expect(sut.evictionAlgorithm.length).toBe(64);
  });
});
