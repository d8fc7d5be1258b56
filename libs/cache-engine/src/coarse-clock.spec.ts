import { CoarseClock } from './coarse-clock';

describe(CoarseClock.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reuses one reading within the resolution, then reads the source again', () => {
    let t = 1000;
    const source = jest.fn(() => t);
    const sut = new CoarseClock({ source, resolutionMs: 1 });
    expect(sut.now()).toBe(1000);
    t = 1005;
    expect(sut.now()).toBe(1000);
    expect(source).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1);
    expect(sut.now()).toBe(1005);
    expect(source).toHaveBeenCalledTimes(2);
  });

  it('re-reads after maxReuse calls even if no timer fired (long synchronous bursts)', () => {
    let t = 0;
    const sut = new CoarseClock({ source: () => ++t, maxReuse: 3 });
    expect([sut.now(), sut.now(), sut.now(), sut.now()]).toEqual([1, 1, 1, 2]);
  });

  it('its timer is unref()\'d (never keeps the process alive)', () => {
    const spy = jest.spyOn(global, 'setTimeout');
    new CoarseClock({ source: () => 1 }).now();
    const timer = spy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    spy.mockRestore();
  });
});
