import { HyperCache } from './hyper-cache';
import { FakeClock, cacheOf, errorOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} set/get`, () => {
  it('returns the stored value and the stored record', () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({ nodeId: 'node-1' }, clock);
    const item = sut.set('k', 'héllo', 5000);
    expect(sut.get('k')).toBe('héllo');
    expect(item).toMatchObject({ key: 'k', value: 'héllo', size: 6, origin: 'node-1', ttlMs: 5000 });
    expect(item.lastUpdatedMs).toBe(clock.ms);
    expect(item.expiresAtMs).toBe(clock.ms + 5000);
    expect(item.version).toBeGreaterThanOrEqual(1);
  });

  it('misses on an unknown key', () => {
    expect(cacheOf().get('nope')).toBeUndefined();
  });

  it('reads a key its eviction algorithm holds but the store does not as a miss, and stays consistent', () => {
    // Reads trust the algorithm's key → slot index without a separate liveness probe; a slot that
    // holds no record must still read as a miss and never be brought to life by the read.
    const sut = cacheOf<string>({ evictionAlgorithm: 'lru', capacity: 4 });
    sut.set('a', 'A');
    (sut.evictionAlgorithm as unknown as { set(key: string): void }).set('ghost');
    expect(sut.get('ghost')).toBeUndefined();
    expect(sut.getWithInfo('ghost')).toBeUndefined();
    expect(sut.counters()).toMatchObject({ hits: 0, misses: 2 });
    expect(sut.count()).toBe(1);
    expect(sut.list().map((i) => i.key)).toEqual(['a']);
    sut.set('ghost', 'G');
    expect([sut.get('ghost'), sut.get('a'), sut.count()]).toEqual(['G', 'A', 2]);
  });

  it.each([
    ['empty key', '', 'v', 0],
    ['whitespace key', ' \t\n', 'v', 0],
    ['null value', 'k', null, 0],
    ['undefined value', 'k', undefined, 0],
    ['negative ttl', 'k', 'v', -1],
    ['NaN ttl', 'k', 'v', Number.NaN],
    ['infinite ttl', 'k', 'v', Number.POSITIVE_INFINITY],
  ])('rejects %s with BAD_REQUEST and stores nothing', (_name, key, value, ttl) => {
    const sut = cacheOf<unknown>();
    expect(errorOf(() => sut.set(key as string, value, ttl as number)).code).toBe('BAD_REQUEST');
    expect(sut.count()).toBe(0);
    expect(sut.allocation()).toBe(0);
  });

  it('accepts keys with inner or trailing whitespace and non-ASCII keys', () => {
    const sut = cacheOf<string>();
    for (const k of ['a b', 'a ', '\u00e9', '\u3000x']) sut.set(k, 'v');
    expect(sut.count()).toBe(4);
  });

  it('counts reads on a hit (accessCount, lastAccessMs) and getWithInfo returns a frozen copy', () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    sut.set('k', 'v');
    clock.advance(10);
    sut.get('k');
    const info = sut.getWithInfo('k')!;
    expect(info.accessCount).toBe(2);
    expect(info.lastAccessMs).toBe(clock.ms);
    expect(Object.isFrozen(info)).toBe(true);
    sut.get('k');
    expect(info.accessCount).toBe(2);
  });

  it('getMultiple splits hits and misses; misses carry NOT_FOUND', () => {
    const sut = cacheOf<number>();
    sut.set('a', 1);
    sut.set('b', 2);
    const { found, failed } = sut.getMultiple(['a', 'b', 'c']);
    expect([...found]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(failed.get('c')?.code).toBe('NOT_FOUND');
  });

  it('remove returns how many keys existed and forgets them', () => {
    const sut = cacheOf<number>();
    sut.set('a', 1);
    sut.set('b', 2);
    expect(sut.remove('a', 'x', 'b', 'a')).toBe(2);
    expect(sut.count()).toBe(0);
    expect(sut.get('a')).toBeUndefined();
  });

  it('clear empties the cache and resets the byte accounting', () => {
    const sut = cacheOf<string>();
    sut.set('a', 'xx');
    sut.set('b', 'yyy');
    sut.clear();
    expect(sut.count()).toBe(0);
    expect(sut.allocation()).toBe(0);
    expect(sut.evictionAlgorithm.length).toBe(0);
  });

  it('counts hits and misses as plain counters', () => {
    const sut = cacheOf<number>();
    sut.set('a', 1);
    sut.get('a');
    sut.get('b');
    expect(sut.counters()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('works with every default when built without options', async () => {
    const sut = new HyperCache<string>();
    sut.set('k', 'v');
    expect(sut.get('k')).toBe('v');
    expect(sut.capacity()).toBe(0);
    expect(sut.maxCacheSize()).toBe(0);
    await sut.stop();
  });
});
