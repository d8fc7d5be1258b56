import { HyperCache } from './hyper-cache';
import { FakeClock, cacheOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} TTL`, () => {
  it('keeps an item without TTL forever', () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    sut.set('k', 'v', 0);
    clock.advance(10 * 365 * 24 * 3600 * 1000);
    expect(sut.get('k')).toBe('v');
  });

  it('expires strictly after the TTL (now − lastAccess > ttl)', () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    sut.set('k', 'v', 1000);
    clock.advance(1000);
    expect(sut.getWithInfo('k')?.value).toBe('v');
    clock.advance(1001);
    expect(sut.get('k')).toBeUndefined();
  });

  it('sliding (default): an item read more often than its TTL never expires', () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    sut.set('k', 'v', 2000);
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      expect(sut.get('k')).toBe('v');
    }
    expect(sut.getWithInfo('k')?.expiresAtMs).toBe(clock.ms + 2000);
  });

  it('absolute: reads do not extend the lifetime', () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({ expiry: 'absolute' }, clock);
    const written = clock.ms;
    sut.set('k', 'v', 2000);
    clock.advance(1000);
    expect(sut.get('k')).toBe('v');
    expect(sut.getWithInfo('k')?.expiresAtMs).toBe(written + 2000);
    clock.advance(1001);
    expect(sut.get('k')).toBeUndefined();
  });

  it('absolute: an overwrite restarts the lifetime from the new write', () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({ expiry: 'absolute' }, clock);
    sut.set('k', 'v1', 1000);
    clock.advance(900);
    sut.set('k', 'v2', 1000);
    clock.advance(900);
    expect(sut.get('k')).toBe('v2');
  });

  it('an expired read is a miss, keeps the item until a sweep, and the triggered sweep removes it', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    sut.set('k', 'v', 10);
    sut.set('keep', 'v');
    clock.advance(11);
    expect(sut.get('k')).toBeUndefined();
    expect(sut.count()).toBe(2);
    await sut.idle();
    expect(sut.count()).toBe(1);
    expect(sut.get('keep')).toBe('v');
    expect(sut.counters()).toMatchObject({ expiredReads: 1, expirations: 1 });
  });

  it('getMultiple reports expired keys as NOT_FOUND and triggers a sweep', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    sut.set('old', 'v', 10);
    sut.set('new', 'v', 1000);
    clock.advance(20);
    const { found, failed } = sut.getMultiple(['old', 'new']);
    expect([...found.keys()]).toEqual(['new']);
    expect(failed.get('old')?.code).toBe('NOT_FOUND');
    await sut.idle();
    expect(sut.count()).toBe(1);
  });

  it('a sweep releases the bytes and the eviction tracking of expired items', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({ capacity: 10 }, clock);
    sut.set('k', 'abc', 10);
    clock.advance(11);
    sut.triggerExpiration();
    await sut.idle();
    expect(sut.allocation()).toBe(0);
    expect(sut.evictionAlgorithm.length).toBe(0);
  });
});
