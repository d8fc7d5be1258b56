import type { Backend } from '../backends/backend';
import { newItem, type CacheItem } from '../item';
import { filterFunc, sortBy, sortOrderAsc } from '../list-filters';

/**
 * Conformance suite of the {@link Backend} seam (engine.md §11): registers a `describe` block that
 * any backend must pass, synchronous (`InMemoryBackend`) or async (a Redis backend, issue 15).
 * `make` builds an empty backend per test; it is stopped after each test.
 */
export function describeBackendContract(name: string, make: () => Backend<string> | Promise<Backend<string>>): void {
  describe(`${name} (Backend contract)`, () => {
    let sut: Backend<string>;
    beforeEach(async () => {
      sut = await make();
    });
    afterEach(async () => {
      await sut.stop();
    });

    const record = (key: string, value = `v-${key}`, version = 1): CacheItem<string> => ({
      ...newItem(key, value, value.length, version, 'node-a', 1_000, 60_000),
      accessCount: 3,
      lastAccessMs: 1_005,
    });

    it('answers undefined for a missing key', async () => {
      expect(await sut.get('missing')).toBeUndefined();
    });

    it('stores every field of a record as given and returns a record the caller owns', async () => {
      const stored = record('k');
      await sut.set(stored);
      const got = (await sut.get('k'))!;
      expect(got).toEqual(stored);
      got.value = 'changed';
      expect((await sut.get('k'))!.value).toBe('v-k');
    });

    it('replaces a record by key', async () => {
      await sut.set(record('k', 'one', 1));
      await sut.set(record('k', 'two', 2));
      expect(await sut.get('k')).toMatchObject({ value: 'two', version: 2 });
      expect(await sut.count()).toBe(1);
    });

    it('removes keys, counting only those that existed', async () => {
      for (const k of ['a', 'b', 'c']) await sut.set(record(k));
      expect(await sut.remove(['a', 'c', 'zz'])).toBe(2);
      expect(await sut.remove([])).toBe(0);
      expect(await sut.get('a')).toBeUndefined();
      expect(await sut.count()).toBe(1);
    });

    it('lists with the filters applied in order (engine.md §6)', async () => {
      for (const k of ['b', 'c', 'a']) await sut.set(record(k));
      const keys = (await sut.list([sortBy('Key'), sortOrderAsc(false)])).map((i) => i.key);
      expect(keys).toEqual(['c', 'b', 'a']);
      const filtered = (await sut.list([filterFunc<string>((i) => i.key !== 'b'), sortBy('Key')])).map((i) => i.key);
      expect(filtered).toEqual(['a', 'c']);
    });

    it('clears every record', async () => {
      for (const k of ['a', 'b']) await sut.set(record(k));
      await sut.clear();
      expect(await sut.count()).toBe(0);
      expect(await sut.list([])).toEqual([]);
    });

    it('keeps a capacity and rejects a negative one with BAD_REQUEST', () => {
      sut.setCapacity(7);
      expect(sut.capacity()).toBe(7);
      expect(() => sut.setCapacity(-1)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    });

    it('stops idempotently', async () => {
      await sut.stop();
      await expect(sut.stop()).resolves.toBeUndefined();
    });
  });
}
