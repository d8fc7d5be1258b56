import * as fc from 'fast-check';
import { HistogramStatsCollector } from './histogram-stats-collector';

describe(HistogramStatsCollector.name, () => {
  it('aggregates samples into the PascalCase /stats shape', () => {
    const sut = new HistogramStatsCollector();
    for (const v of [15, 10, 12]) sut.gauge('item_count', v);
    expect(sut.getStats()).toEqual({
      item_count: { Mean: 37 / 3, Median: 12, Min: 10, Max: 15, Values: [10, 12, 15], Count: 3, Sum: 37, Variance: expect.closeTo(4.222, 3) },
    });
  });

  it('records all five kinds into one aggregate; decr records −v', () => {
    const sut = new HistogramStatsCollector();
    sut.incr('s', 5);
    sut.decr('s', 2);
    sut.timing('s', 1);
    sut.gauge('s', 1);
    sut.histogram('s', 1);
    expect(sut.getStats().s).toMatchObject({ Count: 5, Sum: 6, Min: -2, Max: 5 });
  });

  it('omits stats never recorded', () => {
    expect(new HistogramStatsCollector().getStats()).toEqual({});
  });

  it('keeps lifetime aggregates exact while the window holds only the newest samples', () => {
    const sut = new HistogramStatsCollector({ windowSize: 3 });
    for (let i = 1; i <= 10; i++) sut.incr('s', i);
    expect(sut.getStats().s).toMatchObject({ Count: 10, Sum: 55, Min: 1, Max: 10, Mean: 5.5, Values: [8, 9, 10], Median: 9 });
  });

  it('median of an even window is the mean of the middle pair', () => {
    const sut = new HistogramStatsCollector();
    for (const v of [4, 1, 3, 2]) sut.incr('s', v);
    expect(sut.getStats().s.Median).toBe(2.5);
  });

  it.each([
    [0, 1],
    [0.5, 5],
    [0.9, 9],
    [1, 10],
    [-1, 1],
    [2, 10],
  ])('percentile(%d) is nearest-rank (p clamped) → %d', (p, expected) => {
    const sut = new HistogramStatsCollector();
    for (let i = 10; i >= 1; i--) sut.histogram('s', i);
    expect(sut.percentile('s', p)).toBe(expected);
  });

  it('matches a model for count/sum/min/max/mean and sorted Values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 64 }), (xs, w) => {
        const sut = new HistogramStatsCollector({ windowSize: w });
        for (const x of xs) sut.incr('s', x);
        const s = sut.getStats().s;
        const sum = xs.reduce((a, b) => a + b, 0);
        expect(s.Count).toBe(xs.length);
        expect(s.Sum).toBe(sum);
        expect(s.Min).toBe(Math.min(...xs));
        expect(s.Max).toBe(Math.max(...xs));
        expect(s.Mean).toBeCloseTo(sum / xs.length, 6);
        expect(s.Values).toEqual(xs.slice(-w).sort((a, b) => a - b));
      }),
    );
  });

  it('rejects a negative window size', () => {
    expect(() => new HistogramStatsCollector({ windowSize: -1 })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
