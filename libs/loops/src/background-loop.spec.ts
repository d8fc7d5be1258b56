import { ManualTimers } from '@hypercache/loops/testing';
import { BackgroundLoop } from './background-loop';

describe(BackgroundLoop.name, () => {
  it('ticks every delay while running; start and stop are idempotent; a stopped loop starts again', async () => {
    const timers = new ManualTimers();
    const tick = jest.fn();
    const sut = new BackgroundLoop({ name: 'test', delayMs: 100, tick, timers });
    sut.start();
    sut.start();
    await timers.advance(350);
    expect(tick).toHaveBeenCalledTimes(3);
    sut.stop();
    sut.stop();
    expect(sut.isRunning).toBe(false);
    await timers.advance(1_000);
    expect(tick).toHaveBeenCalledTimes(3);
    expect(timers.pendingDelays).toEqual([]);
    sut.start();
    await timers.advance(100);
    expect(tick).toHaveBeenCalledTimes(4);
    sut.stop();
  });

  it('schedules the next tick only after an async tick settles (ticks never overlap)', async () => {
    const timers = new ManualTimers();
    let release!: () => void;
    let running = 0;
    let maxRunning = 0;
    const sut = new BackgroundLoop({
      name: 'test',
      delayMs: 10,
      timers,
      tick: () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        return new Promise<void>((r) => {
          release = () => {
            running--;
            r();
          };
        });
      },
    });
    sut.start();
    await timers.advance(10);
    expect(running).toBe(1);
    expect(timers.pendingDelays).toEqual([]);
    await timers.advance(100);
    expect(maxRunning).toBe(1);
    release();
    await timers.advance(0);
    expect(timers.pendingDelays).toEqual([10]);
    sut.stop();
  });

  it('reports a thrown or rejected tick by name and keeps looping', async () => {
    const timers = new ManualTimers();
    const errors: Array<[unknown, string]> = [];
    let n = 0;
    const sut = new BackgroundLoop({
      name: 'sweep',
      delayMs: 5,
      timers,
      onError: (err, name) => errors.push([err, name]),
      tick: () => {
        n++;
        if (n === 1) throw new Error('sync');
        if (n === 2) return Promise.reject(new Error('async'));
        return undefined;
      },
    });
    sut.start();
    await timers.advance(15);
    expect(n).toBe(3);
    expect(errors.map(([e, name]) => [(e as Error).message, name])).toEqual([
      ['sync', 'sweep'],
      ['async', 'sweep'],
    ]);
    sut.stop();
  });

  it('reads a variable delay each time it schedules, and aborts the running tick’s signal on stop', async () => {
    const timers = new ManualTimers();
    const delays = [1, 2, 4];
    let seen: AbortSignal | undefined;
    const sut = new BackgroundLoop({ name: 'backoff', delayMs: () => delays.shift() ?? 8, timers, tick: (signal) => void (seen = signal) });
    sut.start();
    expect(timers.pendingDelays).toEqual([1]);
    await timers.advance(1);
    expect(timers.pendingDelays).toEqual([2]);
    await timers.advance(2);
    expect(timers.pendingDelays).toEqual([4]);
    expect(seen?.aborted).toBe(false);
    sut.stop();
    expect(seen?.aborted).toBe(true);
  });

  it('rejects a negative or non-finite delay naming the loop', () => {
    expect(() => new BackgroundLoop({ name: 'x', delayMs: -1, tick: () => undefined })).toThrow(/x: delayMs/);
    const sut = new BackgroundLoop({ name: 'y', delayMs: () => Number.NaN, tick: () => undefined, timers: new ManualTimers() });
    expect(() => sut.start()).toThrow(/y: delayMs/);
  });

  it('uses unref()’d system timers by default, so a forgotten loop never holds the process', () => {
    jest.useFakeTimers();
    try {
      const tick = jest.fn();
      const sut = new BackgroundLoop({ name: 'sys', delayMs: 50, tick });
      sut.start();
      jest.advanceTimersByTime(120);
      expect(tick).toHaveBeenCalledTimes(2);
      sut.stop();
      jest.advanceTimersByTime(500);
      expect(tick).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('runs the first tick inside start() with runAtStart, then every delay; a tick may stop its own loop', async () => {
    const timers = new ManualTimers();
    let n = 0;
    const sut: BackgroundLoop = new BackgroundLoop({
      name: 'now',
      delayMs: 10,
      runAtStart: true,
      timers,
      tick: () => {
        if (++n === 3) sut.stop();
      },
    });
    sut.start();
    expect(n).toBe(1);
    await timers.advance(100);
    expect(n).toBe(3);
    expect(sut.isRunning).toBe(false);
    expect(timers.pendingDelays).toEqual([]);
  });
});
