import { HistogramStatsCollector } from './histogram-stats-collector';
import { StatsCollectorRegistry } from './stats-collector-registry';

describe(StatsCollectorRegistry.name, () => {
  it('holds default and histogram, each creating a fresh histogram collector', () => {
    const sut = StatsCollectorRegistry.withDefaults();
    expect(sut.names()).toEqual(['default', 'histogram']);
    const a = sut.create('default');
    expect(a).toBeInstanceOf(HistogramStatsCollector);
    expect(sut.create('default')).not.toBe(a);
  });

  it('creates registered custom collectors', () => {
    const custom = new HistogramStatsCollector({ windowSize: 1 });
    const sut = new StatsCollectorRegistry().register('mine', () => custom);
    expect(sut.has('mine')).toBe(true);
    expect(sut.create('mine')).toBe(custom);
  });

  it('rejects unknown and empty names with BAD_REQUEST', () => {
    const sut = StatsCollectorRegistry.withDefaults();
    expect(() => sut.create('nope')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', name: 'StatsCollectorNotFoundError' }));
    expect(() => sut.register(' ', () => new HistogramStatsCollector())).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
