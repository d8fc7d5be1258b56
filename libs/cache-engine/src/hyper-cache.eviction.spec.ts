import { HyperCache } from './hyper-cache';
import { FakeClock, TinyLru, cacheOf, errorOf, tinyLruFactory } from './testing/engine-test-kit';

function keysOf<V>(sut: HyperCache<V>): string[] {
  return sut.list().map((i) => i.key).sort();
}

describe(`${HyperCache.name} eviction`, () => {
  it('proactive mode (interval 0) evicts one item after a write that exceeds capacity', () => {
    const sut = cacheOf<number>({ capacity: 2, evictionIntervalMs: 0 });
    sut.set('a', 1);
    sut.set('b', 2);
    sut.set('c', 3);
    expect(keysOf(sut)).toEqual(['b', 'c']);
    expect(sut.counters().evictions).toBe(1);
  });

  it('reads count for the algorithm: LRU evicts the least recently *read* (upstream evicts a)', () => {
    const sut = cacheOf<number>({ capacity: 2, evictionIntervalMs: 0 });
    sut.set('a', 1);
    sut.set('b', 2);
    sut.get('a');
    sut.set('c', 3);
    expect(keysOf(sut)).toEqual(['a', 'c']);
  });

  it('an overwrite does not evict', () => {
    const sut = cacheOf<number>({ capacity: 2, evictionIntervalMs: 0 });
    sut.set('a', 1);
    sut.set('b', 2);
    sut.set('a', 3);
    expect(keysOf(sut)).toEqual(['a', 'b']);
  });

  it('sizes the algorithm by capacity, not maxEvictionCount: every stored key stays tracked', () => {
    const factory = tinyLruFactory();
    const sut = cacheOf<number>({ capacity: 10, maxEvictionCount: 2, evictionAlgorithmFactory: factory });
    for (let i = 0; i < 10; i++) sut.set(`k${i}`, i);
    expect(factory.created[0].capacity).toBeGreaterThanOrEqual(10);
    expect(sut.evictionAlgorithm.length).toBe(10);
  });

  it('an eviction pass removes at most maxEvictionCount items while count > capacity', async () => {
    const sut = cacheOf<number>({ capacity: 3, maxEvictionCount: 2 });
    for (let i = 0; i < 6; i++) sut.set(`k${i}`, i);
    sut.triggerEviction();
    await sut.idle();
    expect(keysOf(sut)).toEqual(['k2', 'k3', 'k4', 'k5']);
    sut.triggerEviction();
    await sut.idle();
    expect(keysOf(sut)).toEqual(['k3', 'k4', 'k5']);
    const stats = sut.getStats();
    expect(stats.item_evicted_count.Sum).toBe(3);
    expect(stats.eviction_loop_count.Count).toBe(2);
    expect(stats.evicted_item_count.Values).toEqual([1, 2]);
  });

  it('triggerEviction is non-blocking and coalesces while a pass is pending', async () => {
    const sut = cacheOf<number>({ capacity: 2, maxEvictionCount: 1 });
    for (let i = 0; i < 4; i++) sut.set(`k${i}`, i);
    sut.triggerEviction();
    sut.triggerEviction();
    sut.triggerEviction();
    expect(sut.count()).toBe(4);
    await sut.idle();
    expect(sut.count()).toBe(3);
    expect(sut.getStats().eviction_loop_count.Count).toBe(1);
  });

  it('when the background loop lags, a write beyond 2 × capacity evicts synchronously', () => {
    const sut = cacheOf<number>({ capacity: 3 });
    for (let i = 0; i < 20; i++) sut.set(`k${i}`, i);
    expect(sut.count()).toBe(6);
    expect(sut.evictionAlgorithm.length).toBe(6);
  });

  it('the eviction loop evicts on its interval', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const sut = cacheOf<number>({ capacity: 2, evictionIntervalMs: 1000 });
      sut.start();
      for (let i = 0; i < 4; i++) sut.set(`k${i}`, i);
      jest.advanceTimersByTime(999);
      await sut.idle();
      expect(sut.count()).toBe(4);
      jest.advanceTimersByTime(1);
      await sut.idle();
      expect(keysOf(sut)).toEqual(['k2', 'k3']);
      await sut.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('capacity 0 with maxEvictionCount 0 tracks nothing and never evicts', async () => {
    const factory = tinyLruFactory();
    const sut = cacheOf<number>({ evictionAlgorithmFactory: factory });
    for (let i = 0; i < 5; i++) sut.set(`k${i}`, i);
    sut.triggerEviction();
    await sut.idle();
    expect(sut.count()).toBe(5);
    expect(factory.created).toHaveLength(0);
  });

  it('capacity 0 with an explicit maxEvictionCount evicts that many per pass (upstream trap kept)', async () => {
    const sut = cacheOf<number>({ maxEvictionCount: 2 });
    for (let i = 0; i < 5; i++) sut.set(`k${i}`, i);
    sut.triggerEviction();
    await sut.idle();
    expect(keysOf(sut)).toEqual(['k2', 'k3', 'k4']);
  });

  it('setCapacity below count runs one pass at once, bounded by maxEvictionCount, which follows the capacity', () => {
    const sut = cacheOf<number>({ capacity: 10 });
    for (let i = 0; i < 10; i++) sut.set(`k${i}`, i);
    sut.setCapacity(4);
    expect(sut.capacity()).toBe(4);
    expect(sut.backend.capacity()).toBe(4);
    expect(keysOf(sut)).toEqual(['k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
  });

  it('setCapacity from unlimited starts tracking the stored keys, oldest access first', () => {
    const clock = new FakeClock();
    const sut = cacheOf<number>({ evictionIntervalMs: 0 }, clock);
    for (const k of ['a', 'b', 'c']) {
      sut.set(k, 1);
      clock.advance(1);
    }
    sut.get('a');
    sut.setCapacity(2);
    expect(keysOf(sut)).toEqual(['a', 'c']);
    sut.set('d', 1);
    expect(keysOf(sut)).toEqual(['a', 'd']);
  });

  it('setCapacity to a negative number is rejected with BAD_REQUEST', () => {
    expect(errorOf(() => cacheOf().setCapacity(-1)).code).toBe('BAD_REQUEST');
  });

  it('accepts an algorithm instance', () => {
    const lru = new TinyLru();
    const sut = cacheOf<number>({ capacity: 1, evictionIntervalMs: 0, evictionAlgorithm: lru });
    sut.set('a', 1);
    sut.set('b', 2);
    expect(sut.evictionAlgorithm).toBe(lru);
    expect(lru.keys()).toEqual(['b']);
  });

  it('an unknown algorithm name fails construction', () => {
    expect(() => cacheOf({ capacity: 1, evictionAlgorithm: 'fifo' })).toThrow('algorithm not found');
  });

  it('clear forgets every tracked key', () => {
    const sut = cacheOf<number>({ capacity: 3, evictionIntervalMs: 0 });
    sut.set('a', 1);
    sut.clear();
    sut.set('b', 1);
    expect(sut.evictionAlgorithm.length).toBe(1);
  });

  it('records eviction_loop_duration as elapsed ns, not a start timestamp', async () => {
    const sut = cacheOf<number>({ capacity: 1 });
    sut.set('a', 1);
    sut.set('b', 1);
    sut.triggerEviction();
    await sut.idle();
    const d = sut.getStats().eviction_loop_duration;
    expect(d.Count).toBe(1);
    expect(d.Max).toBeGreaterThanOrEqual(0);
    expect(d.Max).toBeLessThan(1e9); // a timestamp in ns would be ~1.7e18
  });
});
