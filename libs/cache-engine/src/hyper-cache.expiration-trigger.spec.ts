import { HyperCache } from './hyper-cache';
import { FakeClock, cacheOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} expiration triggers and sweeps`, () => {
  it('a sweep removes only expired items and records its stats', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    sut.set('a', 'v', 10);
    sut.set('b', 'v', 10);
    sut.set('c', 'v', 1000);
    sut.set('d', 'v');
    clock.advance(11);
    sut.triggerExpiration();
    await sut.idle();
    expect(sut.list().map((i) => i.key).sort()).toEqual(['c', 'd']);
    const s = sut.getStats();
    expect(s.expiration_loop_count.Count).toBe(1);
    expect(s.item_expired_count.Sum).toBe(2);
    expect(s.expired_item_count.Values).toEqual([2]);
    expect(s.item_count.Values).toEqual([2]);
    expect(s.expiration_loop_duration.Max).toBeLessThan(1e9); // elapsed ns, not a start timestamp
  });

  it('coalesces triggers while one is pending and counts each drop in stat incr', async () => {
    const sut = cacheOf<string>();
    sut.triggerExpiration();
    sut.triggerExpiration();
    sut.triggerExpiration();
    await sut.idle();
    expect(sut.getStats().expiration_loop_count.Count).toBe(1);
    expect(sut.getStats().incr.Sum).toBe(2);
    sut.triggerExpiration();
    await sut.idle();
    expect(sut.getStats().expiration_loop_count.Count).toBe(2);
  });

  it('drops triggers within the debounce window of the last accepted one', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({ expirationTriggerDebounceMs: 100 }, clock);
    sut.triggerExpiration();
    await sut.idle();
    clock.advance(99);
    sut.triggerExpiration();
    await sut.idle();
    expect(sut.getStats().expiration_loop_count.Count).toBe(1);
    expect(sut.getStats().incr.Sum).toBe(1);
    clock.advance(1);
    sut.triggerExpiration();
    await sut.idle();
    expect(sut.getStats().expiration_loop_count.Count).toBe(2);
  });

  it('a burst of expired reads runs one sweep', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    for (let i = 0; i < 10; i++) sut.set(`k${i}`, 'v', 5);
    clock.advance(6);
    for (let i = 0; i < 10; i++) sut.get(`k${i}`);
    await sut.idle();
    expect(sut.count()).toBe(0);
    expect(sut.getStats().expiration_loop_count.Count).toBe(1);
  });

  it('the expiration loop sweeps on its interval; ≤ 0 means triggers only', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const clock = new FakeClock();
      const looped = cacheOf<string>({ expirationIntervalMs: 500 }, clock);
      const manual = cacheOf<string>({ expirationIntervalMs: -1 }, clock);
      for (const sut of [looped, manual]) {
        sut.start();
        sut.set('k', 'v', 10);
      }
      clock.advance(11);
      jest.advanceTimersByTime(500);
      await Promise.all([looped.idle(), manual.idle()]);
      expect(looped.count()).toBe(0);
      expect(manual.count()).toBe(1);
      await Promise.all([looped.stop(), manual.stop()]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ignores triggers after stop', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    sut.set('k', 'v', 1);
    await sut.stop();
    clock.advance(2);
    sut.triggerExpiration();
    sut.triggerEviction();
    await sut.idle();
    expect(sut.count()).toBe(1);
  });
});
