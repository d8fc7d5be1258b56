import { InMemoryBackend } from './backends/in-memory-backend';
import { HyperCache } from './hyper-cache';
import { ManualTimers } from '@hypercache/loops/testing';
import { FakeClock, cacheOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} lifecycle`, () => {
  afterEach(() => jest.useRealTimers());

  it('stop() stops the backend (upstream leaves DistMemory running)', async () => {
    const backend = new InMemoryBackend<string>();
    const stop = jest.spyOn(backend, 'stop');
    const sut = cacheOf<string>({ backend });
    await sut.stop();
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('stop() is idempotent and start() is idempotent', async () => {
    const backend = new InMemoryBackend<string>();
    const stop = jest.spyOn(backend, 'stop');
    const sut = cacheOf<string>({ backend, capacity: 1 });
    sut.start();
    sut.start();
    await Promise.all([sut.stop(), sut.stop()]);
    await sut.stop();
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('stop() waits for queued background jobs', async () => {
    const sut = cacheOf<number>({ capacity: 1, maxEvictionCount: 1 });
    sut.set('a', 1);
    sut.set('b', 2);
    sut.triggerEviction();
    await sut.stop();
    expect(sut.count()).toBe(1);
  });

  it('loops use unref()\'d timers and stop clears them', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const unref = jest.fn();
    const real = global.setTimeout;
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms: number) => {
      const t = real(fn, ms);
      const origUnref = t.unref.bind(t);
      t.unref = () => {
        unref();
        return origUnref();
      };
      return t;
    }) as typeof setTimeout);
    const sut = cacheOf<number>({ capacity: 1 });
    sut.start();
    expect(spy).toHaveBeenCalledTimes(2);
    expect(unref).toHaveBeenCalledTimes(2);
    expect(jest.getTimerCount()).toBe(2);
    await sut.stop();
    expect(jest.getTimerCount()).toBe(0);
    spy.mockRestore();
  });

  it('start() after stop() does not restart the loops', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const sut = cacheOf<number>({ capacity: 1 });
    await sut.stop();
    sut.start();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('runs its expiration loop on injected timers', async () => {
    const timers = new ManualTimers();
    const clock = new FakeClock();
    const sut = cacheOf<number>({ timers, expirationIntervalMs: 1_000, evictionIntervalMs: 0 }, clock);
    sut.set('a', 1, 500);
    sut.start();
    clock.advance(600);
    await timers.advance(999);
    await sut.idle();
    expect(sut.count()).toBe(1);
    await timers.advance(1);
    await sut.idle();
    expect(sut.count()).toBe(0);
    await sut.stop();
    expect(timers.pendingDelays).toEqual([]);
  });

  it('the cache still serves reads and writes after stop', async () => {
    const sut = cacheOf<number>();
    await sut.stop();
    sut.set('a', 1);
    expect(sut.get('a')).toBe(1);
  });
});
