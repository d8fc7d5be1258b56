import { HyperCache } from './hyper-cache';
import { FakeClock, cacheOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} getOrSet`, () => {
  it('stores a plain value on a miss and returns the stored value on a hit', async () => {
    const sut = cacheOf<string>();
    await expect(sut.getOrSet('k', 'first')).resolves.toBe('first');
    await expect(sut.getOrSet('k', 'second')).resolves.toBe('first');
    expect(sut.get('k')).toBe('first');
  });

  it('runs the loader once for concurrent callers of one missing key', async () => {
    const sut = cacheOf<number>();
    let calls = 0;
    let release!: (v: number) => void;
    const loader = () => {
      calls++;
      return new Promise<number>((r) => (release = r));
    };
    const all = Promise.all([sut.getOrSet('k', loader), sut.getOrSet('k', loader), sut.getOrSet('k', loader)]);
    release(7);
    await expect(all).resolves.toEqual([7, 7, 7]);
    expect(calls).toBe(1);
    expect(sut.get('k')).toBe(7);
  });

  it('accepts a synchronous loader and applies the TTL', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    await sut.getOrSet('k', () => 'v', 100);
    expect(sut.getWithInfo('k')?.expiresAtMs).toBe(clock.ms + 100);
  });

  it('a failing loader rejects every waiter, stores nothing, and the next call retries', async () => {
    const sut = cacheOf<number>();
    const boom = () => Promise.reject(new Error('boom'));
    await expect(Promise.all([sut.getOrSet('k', boom), sut.getOrSet('k', boom)])).rejects.toThrow('boom');
    expect(sut.count()).toBe(0);
    await expect(sut.getOrSet('k', () => 1)).resolves.toBe(1);
  });

  it('a loader that yields null rejects with BAD_REQUEST', async () => {
    const sut = cacheOf<unknown>();
    await expect(sut.getOrSet('k', () => null)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('rejects an invalid key or TTL before running the loader', async () => {
    const sut = cacheOf<number>();
    const loader = jest.fn(() => 1);
    await expect(sut.getOrSet(' ', loader)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(sut.getOrSet('k', loader, -5)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(loader).not.toHaveBeenCalled();
  });

  it('an expired-but-present key rejects key expired (NOT_FOUND) without overwriting, until swept', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    sut.set('k', 'old', 10);
    clock.advance(11);
    await expect(sut.getOrSet('k', 'new')).rejects.toMatchObject({ code: 'NOT_FOUND', name: 'KeyExpiredError' });
    expect(sut.list()[0].value).toBe('old');
    await sut.idle();
    await expect(sut.getOrSet('k', 'new')).resolves.toBe('new');
  });

  it('a hit touches the item', async () => {
    const sut = cacheOf<string>();
    sut.set('k', 'v');
    await sut.getOrSet('k', 'x');
    expect(sut.getWithInfo('k')?.accessCount).toBe(2);
  });
});
