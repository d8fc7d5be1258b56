import { AsyncHyperCache } from './async-hyper-cache';
import { InMemoryBackend } from './backends/in-memory-backend';
import { sortBy } from './list-filters';
import { DeferredBackend } from './testing';
import { FakeClock } from './testing/engine-test-kit';

// AsyncHyperCache over a backend that answers later, in call order (DeferredBackend), as a Redis
// connection does: the facade must keep HyperCache's semantics across real awaits.
function facadeOf(clock = new FakeClock()) {
  const backend = new DeferredBackend(new InMemoryBackend<string>());
  return { sut: new AsyncHyperCache<string>({ backend, now: clock.now, nodeId: 'n1' }), backend, clock };
}

describe(AsyncHyperCache.name, () => {
  it('stores and reads back through an async backend, stamping size, version and origin', async () => {
    const { sut } = facadeOf();
    const written = await sut.set('k', 'hello', 0);
    expect(written).toMatchObject({ key: 'k', value: 'hello', size: 5, origin: 'n1' });
    expect(Object.isFrozen(written)).toBe(true);
    expect(await sut.get('k')).toBe('hello');
    expect(await sut.getWithInfo('k')).toMatchObject({ value: 'hello', version: written.version });
    expect(await sut.get('missing')).toBeUndefined();
    expect(sut.counters()).toMatchObject({ hits: 2, misses: 1 });
  });

  it('hands calls to the backend in call order: a read issued right after an unawaited write sees it', async () => {
    const { sut, backend } = facadeOf();
    const write = sut.set('k', 'v1');
    const read = sut.get('k');
    const overwrite = sut.set('k', 'v2');
    const reread = sut.get('k');
    expect(backend.pending).toBe(4);
    expect([await read, await reread]).toEqual(['v1', 'v2']);
    expect((await overwrite).version).toBeGreaterThan((await write).version);
    expect(backend.served).toEqual(['set:k', 'get:k', 'set:k', 'get:k']);
  });

  it('rejects invalid writes before reaching the backend (BAD_REQUEST codes)', async () => {
    const { sut, backend } = facadeOf();
    await expect(sut.set(' ', 'v')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(sut.set('k', null as unknown as string)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(sut.set('k', 'v', -1)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(backend.served).toEqual([]);
  });

  it('expires absolutely: reads before the deadline do not extend it; an expired read is a miss', async () => {
    const { sut, clock } = facadeOf();
    await sut.set('k', 'v', 100);
    clock.advance(60);
    expect(await sut.get('k')).toBe('v');
    clock.advance(60);
    expect(await sut.get('k')).toBeUndefined();
    expect(sut.counters()).toMatchObject({ hits: 1, expiredReads: 1 });
    await expect(sut.getOrSet('k', 'new')).rejects.toMatchObject({ name: 'KeyExpiredError', code: 'NOT_FOUND' });
  });

  it('keeps a replica stamp as given and folds its version into the clock', async () => {
    const { sut, clock } = facadeOf();
    const stamp = { version: 2 ** 52, origin: 'n9', expiresAtMs: clock.ms + 5 };
    expect(await sut.set('k', 'r', 5, stamp)).toMatchObject({ version: 2 ** 52, origin: 'n9', expiresAtMs: clock.ms + 5 });
    expect((await sut.set('j', 'x')).version).toBeGreaterThan(2 ** 52);
  });

  it('shares one lookup and one loader run between concurrent getOrSet callers across the backend round trips', async () => {
    const { sut, backend } = facadeOf();
    let runs = 0;
    const loader = async () => {
      runs++;
      return 'loaded';
    };
    const all = await Promise.all([sut.getOrSet('k', loader), sut.getOrSet('k', loader), sut.getOrSet('k', loader)]);
    expect(all).toEqual(['loaded', 'loaded', 'loaded']);
    expect(runs).toBe(1);
    expect(backend.served).toEqual(['get:k', 'set:k']);
    expect(await sut.getOrSet('k', loader)).toBe('loaded');
    expect(runs).toBe(1);
  });

  it('reads many keys in one batch, lists with filters, removes, counts and clears', async () => {
    const { sut } = facadeOf();
    await Promise.all([sut.set('b', '2'), sut.set('a', '1'), sut.set('c', '3')]);
    const { found, failed } = await sut.getMultiple(['a', 'zz', 'c']);
    expect([...found]).toEqual([
      ['a', '1'],
      ['c', '3'],
    ]);
    expect([...failed.entries()].map(([k, e]) => [k, e.code])).toEqual([['zz', 'NOT_FOUND']]);
    expect((await sut.list(sortBy('Key'))).map((i) => i.key)).toEqual(['a', 'b', 'c']);
    expect(await sut.remove('a', 'zz')).toBe(1);
    expect(await sut.count()).toBe(2);
    await sut.clear();
    expect(await sut.count()).toBe(0);
  });

  it('validates its options and the capacity by name, and stops the backend once', async () => {
    expect(() => new AsyncHyperCache<string>({} as never)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    const { sut, backend } = facadeOf();
    sut.setCapacity(4);
    expect(sut.capacity()).toBe(4);
    expect(() => sut.setCapacity(-1)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    await Promise.all([sut.stop(), sut.stop()]);
    expect(backend.served).toEqual(['stop']);
  });

  it('names a bad capacity, eviction, expiration or stats option, and applies its capacity to the backend', () => {
    const backend = new DeferredBackend(new InMemoryBackend<string>());
    const bad: Array<[string, object]> = [
      ['capacity', { capacity: -1 }],
      ['maxEvictionCount', { maxEvictionCount: 1.5 }],
      ['evictionIntervalMs', { evictionIntervalMs: -5 }],
      ['expirationTriggerDebounceMs', { expirationTriggerDebounceMs: Number.NaN }],
      ['evictionAlgorithm', { evictionAlgorithm: ' ' }],
      ['evictionShardCount', { evictionShardCount: 3 }],
    ];
    for (const [option, o] of bad) {
      expect(() => new AsyncHyperCache<string>({ backend, ...o })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringContaining(option) }));
    }
    expect(() => new AsyncHyperCache<string>({ backend, statsCollector: 'nope' })).toThrow(expect.objectContaining({ name: 'StatsCollectorNotFoundError' }));
    const sut = new AsyncHyperCache<string>({ backend, capacity: 7 });
    expect([sut.capacity(), backend.capacity(), sut.evictionAlgorithm.name]).toEqual([7, 7, 'lfu']);
    expect(new AsyncHyperCache<string>({ backend }).capacity()).toBe(7);
  });
});
