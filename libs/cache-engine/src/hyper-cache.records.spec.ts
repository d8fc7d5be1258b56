import { createDefaultEvictionRegistry } from '@hypercache/eviction';
import { InMemoryBackend } from './backends/in-memory-backend';
import { HyperCache } from './hyper-cache';
import { FakeClock, cacheOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} records`, () => {
  it('set returns the record as written, detached: later reads and writes do not change it', () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({}, clock);
    const written = sut.set('k', 'v', 100);
    expect(written).toEqual({
      key: 'k',
      value: 'v',
      size: 1,
      version: written.version,
      origin: 'local',
      lastUpdatedMs: clock.ms,
      lastAccessMs: clock.ms,
      ttlMs: 100,
      expiresAtMs: clock.ms + 100,
      accessCount: 0,
    });
    clock.advance(5);
    sut.get('k');
    sut.set('k', 'w');
    expect(written).toMatchObject({ value: 'v', accessCount: 0, lastAccessMs: clock.ms - 5 });
  });

  it('the engine’s InMemoryBackend shows the engine’s records, access fields included', () => {
    const clock = new FakeClock();
    const backend = new InMemoryBackend<string>();
    const sut = new HyperCache<string>({ backend, now: clock.now, capacity: 2, evictionIntervalMs: 0, evictionAlgorithm: 'lru', evictionRegistry: createDefaultEvictionRegistry() });
    sut.set('a', 'x');
    sut.set('b', 'y');
    clock.advance(3);
    sut.get('a');
    expect(backend.count()).toBe(2);
    expect(backend.get('a')).toMatchObject({ accessCount: 1, lastAccessMs: clock.ms });
    sut.set('c', 'z');
    expect(backend.list([]).map((i) => i.key)).toEqual(['a', 'c']);
  });
});
