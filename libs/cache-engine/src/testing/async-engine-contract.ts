import { AsyncHyperCache } from '../async-hyper-cache';
import type { Backend } from '../backends/backend';
import { sortBy, sortOrderAsc } from '../list-filters';
import { defaultSizeOf } from '../size-of';
import { describeAsyncEngineMaintenanceContract } from './async-engine-maintenance-contract';
import { FakeClock } from './engine-test-kit';

/**
 * Engine-level conformance of {@link AsyncHyperCache} over a backend (engine.md §1–§6 as the async
 * facade keeps them): validation, sizes (the backend's sizer when it has one), versions, absolute
 * expiry on the engine's clock, replica stamps, call order, `getOrSet` sharing, batch reads, list
 * filters, remove/count/clear, capacity and stop. `make` builds an empty backend per test; the
 * engine runs on a fake clock, with TTLs long enough that a backend expiring natively in real
 * time (Redis) keeps the items for the whole test. Also runs
 * `describeAsyncEngineMaintenanceContract` (capacity, eviction, expiry sweeps, stats, middleware).
 */
export function describeAsyncEngineContract(name: string, make: () => Backend<string> | Promise<Backend<string>>): void {
  describe(`AsyncHyperCache over ${name} (engine contract)`, () => {
    let backend: Backend<string>;
    let clock: FakeClock;
    let sut: AsyncHyperCache<string>;
    beforeEach(async () => {
      backend = await make();
      clock = new FakeClock(Date.now());
      sut = new AsyncHyperCache<string>({ backend, now: clock.now, nodeId: 'n1' });
    });
    afterEach(async () => {
      await sut.stop();
    });

    it('stores and reads back, stamping size (the backend sizer), version and origin; counts hits and misses', async () => {
      const written = await sut.set('k', 'hello', 0);
      const size = backend.sizeOf?.('hello', 'k') ?? defaultSizeOf('hello');
      expect(written).toMatchObject({ key: 'k', value: 'hello', size, origin: 'n1', ttlMs: 0, expiresAtMs: 0 });
      expect(await sut.get('k')).toBe('hello');
      expect(await sut.getWithInfo('k')).toEqual({ ...written });
      expect(await sut.get('missing')).toBeUndefined();
      expect(sut.counters()).toMatchObject({ hits: 2, misses: 1 });
    });

    it('serves unawaited calls in call order: a read right after a write sees it, a later write wins', async () => {
      const write = sut.set('k', 'v1');
      const read = sut.get('k');
      const overwrite = sut.set('k', 'v2');
      const reread = sut.get('k');
      expect([await read, await reread]).toEqual(['v1', 'v2']);
      expect((await overwrite).version).toBeGreaterThan((await write).version);
      expect(await sut.count()).toBe(1);
    });

    it('rejects invalid writes with BAD_REQUEST and stores nothing', async () => {
      await expect(sut.set(' ', 'v')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(sut.set('k', null as unknown as string)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(sut.set('k', 'v', -1)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(await sut.count()).toBe(0);
    });

    it('expires absolutely on the engine clock: reads do not extend it; an expired read is a miss; getOrSet rejects KeyExpiredError', async () => {
      const written = await sut.set('k', 'v', 60_000);
      expect(written.expiresAtMs).toBe(clock.ms + 60_000);
      clock.advance(30_000);
      expect(await sut.get('k')).toBe('v');
      clock.advance(30_001);
      expect(await sut.get('k')).toBeUndefined();
      expect(sut.counters()).toMatchObject({ hits: 1, expiredReads: 1 });
      await expect(sut.getOrSet('k', 'new')).rejects.toMatchObject({ name: 'KeyExpiredError', code: 'NOT_FOUND' });
    });

    it('keeps a replica stamp as given and folds its version into the clock', async () => {
      const stamp = { version: 2 ** 52, origin: 'n9', expiresAtMs: clock.ms + 50_000 };
      expect(await sut.set('k', 'r', 50_000, stamp)).toMatchObject({ version: 2 ** 52, origin: 'n9', expiresAtMs: clock.ms + 50_000 });
      expect(await sut.getWithInfo('k')).toMatchObject({ version: 2 ** 52, origin: 'n9', expiresAtMs: clock.ms + 50_000 });
      expect((await sut.set('j', 'x')).version).toBeGreaterThan(2 ** 52);
    });

    it('shares one lookup and one loader run between concurrent getOrSet callers', async () => {
      let runs = 0;
      const loader = async () => {
        runs++;
        return 'loaded';
      };
      expect(await Promise.all([sut.getOrSet('k', loader), sut.getOrSet('k', loader), sut.getOrSet('k', loader)])).toEqual(['loaded', 'loaded', 'loaded']);
      expect(runs).toBe(1);
      expect(await sut.getOrSet('k', loader)).toBe('loaded');
      expect(runs).toBe(1);
      expect(await sut.get('k')).toBe('loaded');
    });

    it('reads many keys in one batch, lists with filters, removes, counts and clears', async () => {
      await Promise.all([sut.set('b', '2'), sut.set('a', '1'), sut.set('c', '3')]);
      const { found, failed } = await sut.getMultiple(['a', 'zz', 'c']);
      expect([...found]).toEqual([
        ['a', '1'],
        ['c', '3'],
      ]);
      expect([...failed.entries()].map(([k, e]) => [k, e.code])).toEqual([['zz', 'NOT_FOUND']]);
      expect((await sut.list(sortBy('Key'), sortOrderAsc(false))).map((i) => i.key)).toEqual(['c', 'b', 'a']);
      await expect(sut.list(sortBy('Size'))).rejects.toMatchObject({ name: 'InvalidSortFieldError' });
      expect(await sut.remove('a', 'zz')).toBe(1);
      expect(await sut.count()).toBe(2);
      await sut.clear();
      expect(await sut.count()).toBe(0);
      expect(await sut.get('b')).toBeUndefined();
    });

    it('keeps the capacity by name and stops idempotently', async () => {
      sut.setCapacity(4);
      expect(sut.capacity()).toBe(4);
      expect(() => sut.setCapacity(-1)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
      await Promise.all([sut.stop(), sut.stop()]);
      await expect(sut.stop()).resolves.toBeUndefined();
    });
  });
  describeAsyncEngineMaintenanceContract(name, make);
}
