import { IntervalLoop } from './interval-loop';

describe(IntervalLoop.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ticks every interval while running; start and stop are idempotent', () => {
    const tick = jest.fn();
    const sut = new IntervalLoop(100, tick);
    sut.start();
    sut.start();
    jest.advanceTimersByTime(350);
    expect(tick).toHaveBeenCalledTimes(3);
    sut.stop();
    sut.stop();
    jest.advanceTimersByTime(1000);
    expect(tick).toHaveBeenCalledTimes(3);
    expect(sut.isRunning).toBe(false);
  });

  it('can be started again after stop', () => {
    const tick = jest.fn();
    const sut = new IntervalLoop(10, tick);
    sut.start();
    sut.stop();
    sut.start();
    jest.advanceTimersByTime(10);
    expect(tick).toHaveBeenCalledTimes(1);
    sut.stop();
  });
});
