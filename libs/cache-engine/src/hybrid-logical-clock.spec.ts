import { HybridLogicalClock } from './hybrid-logical-clock';

describe(HybridLogicalClock.name, () => {
  it.each([
    // [last, nowMs, floor, expected]
    [0, 1000, 0, 1_000_000],
    [1_000_000, 1000, 0, 1_000_001],
    [5, 0, 0, 6],
    [0, 1000, 2_000_000, 2_000_001],
    [3_000_000, 1000, 2_000_000, 3_000_001],
    [0, 1000.9, 0, 1_000_000],
  ])('after last=%d at now=%d with floor %d issues %d', (last, now, floor, expected) => {
    const sut = new HybridLogicalClock(last);
    expect(sut.issue(now, floor)).toBe(expected);
    expect(sut.last).toBe(expected);
  });

  it('issues strictly increasing versions while the wall clock stands still or goes back', () => {
    const sut = new HybridLogicalClock();
    const a = sut.issue(2000);
    const b = sut.issue(2000);
    const c = sut.issue(1000);
    expect(a < b && b < c).toBe(true);
  });

  it('observe() moves last forward only', () => {
    const sut = new HybridLogicalClock();
    sut.observe(10_000_000);
    sut.observe(5);
    expect(sut.last).toBe(10_000_000);
    expect(sut.issue(1)).toBe(10_000_001);
  });

  it('stays a safe integer for wall clocks up to the year 2255', () => {
    const ms2255 = Date.UTC(2255, 0, 1);
    expect(Number.isSafeInteger(new HybridLogicalClock().issue(ms2255))).toBe(true);
  });
});
