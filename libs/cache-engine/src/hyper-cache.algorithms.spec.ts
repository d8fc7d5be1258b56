import { ArcEviction, EvictionRegistry, LruEviction, createDefaultEvictionRegistry, registerArc } from '@hypercache/eviction';
import * as fc from 'fast-check';
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

  describe('arc', () => {
    const registry = registerArc(createDefaultEvictionRegistry());

    it.each([0, 1000])("is built with the cache's capacity as its c (eviction interval %i ms), not the 2 × tracking headroom", (evictionIntervalMs) => {
      const sut = new HyperCache({ capacity: 8, evictionIntervalMs, evictionAlgorithm: 'arc', evictionRegistry: registry });
      expect((sut.evictionAlgorithm as ArcEviction).capacity).toBe(8);
      sut.stop();
    });

    it('in proactive mode evicts exactly what a standalone ARC of the same capacity chooses (ghost bounds and target p included)', () => {
      const keys = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
      const op = fc.oneof(fc.record({ write: fc.constant(true), key: keys }), fc.record({ write: fc.constant(false), key: keys }));
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 120 }), (capacity, ops) => {
          const sut = new HyperCache<number>({ capacity, evictionIntervalMs: 0, evictionAlgorithm: 'arc', evictionRegistry: registry });
          // The model: the engine's contract with its algorithm (a new key at capacity evicts first).
          const arc = new ArcEviction({ capacity });
          const stored = new Set<string>();
          for (const o of ops) {
            if (o.write) {
              sut.set(o.key, 1);
              if (!stored.has(o.key) && stored.size === capacity) stored.delete(arc.evict() as string);
              arc.set(o.key);
              stored.add(o.key);
            } else {
              sut.get(o.key);
              if (stored.has(o.key)) arc.get(o.key);
            }
            expect(sut.list().map((i) => i.key).sort()).toEqual([...stored].sort());
          }
          const a = (sut.evictionAlgorithm as ArcEviction).snapshot();
          expect(a).toEqual(arc.snapshot());
        }),
      );
    });
  });
});
