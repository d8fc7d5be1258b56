import { InMemoryBackend } from './backends/in-memory-backend';
import { HistogramStatsCollector } from './stats/histogram-stats-collector';
import { resolveHyperCacheOptions } from './hyper-cache-options';
import { errorOf } from './testing/engine-test-kit';

describe(resolveHyperCacheOptions.name, () => {
  it('fills the upstream defaults (config.md B.1)', () => {
    const o = resolveHyperCacheOptions();
    expect(o).toMatchObject({
      nodeId: 'local',
      capacity: 0,
      maxCacheSizeBytes: 0,
      evictionIntervalMs: 600_000,
      maxEvictionCount: 0,
      maxEvictionCountIsExplicit: false,
      evictionAlgorithm: 'lfu',
      expirationIntervalMs: 1_800_000,
      expirationTriggerDebounceMs: 0,
      expiry: 'sliding',
    });
    expect(o.statsCollector).toBeInstanceOf(HistogramStatsCollector);
    expect(o.backend).toBeInstanceOf(InMemoryBackend);
  });

  it('maxEvictionCount defaults to the capacity', () => {
    expect(resolveHyperCacheOptions({ capacity: 7 }).maxEvictionCount).toBe(7);
  });

  it('maps a negative expiration interval to 0 (triggers only)', () => {
    expect(resolveHyperCacheOptions({ expirationIntervalMs: -5 }).expirationIntervalMs).toBe(0);
  });

  it('applies capacity to a given backend, or takes the backend capacity', () => {
    const b = new InMemoryBackend({ capacity: 3 });
    expect(resolveHyperCacheOptions({ backend: b }).capacity).toBe(3);
    resolveHyperCacheOptions({ backend: b, capacity: 9 });
    expect(b.capacity()).toBe(9);
  });

  it.each([
    ['capacity', { capacity: -1 }],
    ['capacity', { capacity: 1.5 }],
    ['maxCacheSizeBytes', { maxCacheSizeBytes: -1 }],
    ['maxEvictionCount', { maxEvictionCount: -2 }],
    ['evictionIntervalMs', { evictionIntervalMs: -1 }],
    ['evictionIntervalMs', { evictionIntervalMs: 2 ** 31 }],
    ['expirationIntervalMs', { expirationIntervalMs: Number.NaN }],
    ['expirationTriggerDebounceMs', { expirationTriggerDebounceMs: -1 }],
    ['expiry', { expiry: 'lazy' as never }],
    ['nodeId', { nodeId: ' ' }],
    ['evictionAlgorithm', { evictionAlgorithm: '' }],
    ['evictionShardCount', { evictionShardCount: 3 }],
  ])('rejects a bad %s with BAD_REQUEST naming the option', (option, o) => {
    const err = errorOf(() => resolveHyperCacheOptions(o)) as { code: string; option: string };
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.option).toBe(option);
  });

  it('rejects an unknown stats collector name', () => {
    expect(errorOf(() => resolveHyperCacheOptions({ statsCollector: 'statsd' })).name).toBe('StatsCollectorNotFoundError');
  });

  it('uses a given collector instance', () => {
    const c = new HistogramStatsCollector();
    expect(resolveHyperCacheOptions({ statsCollector: c }).statsCollector).toBe(c);
  });
});
