import { newItem } from '../item';
import { sortBy } from '../list-filters';
import { InMemoryBackend } from './in-memory-backend';

describe(InMemoryBackend.name, () => {
  const item = (key: string) => newItem(key, 'v', 1, 1, 'n', 0, 0);

  it('stores, lists with filters, counts, deletes and clears', () => {
    const sut = new InMemoryBackend<string>();
    for (const k of ['b', 'a', 'c']) sut.set(item(k));
    expect(sut.count()).toBe(3);
    expect(sut.list([sortBy('Key')]).map((i) => i.key)).toEqual(['a', 'b', 'c']);
    expect(sut.delete('a')).toBe(true);
    expect(sut.delete('a')).toBe(false);
    sut.clear();
    expect(sut.count()).toBe(0);
  });

  it('validates capacity (negative → BAD_REQUEST)', () => {
    expect(() => new InMemoryBackend({ capacity: -1 })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    const sut = new InMemoryBackend({ capacity: 2 });
    sut.setCapacity(5);
    expect(sut.capacity()).toBe(5);
    expect(() => sut.setCapacity(-3)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('stop resolves and can be called twice', async () => {
    const sut = new InMemoryBackend();
    await sut.stop();
    await expect(sut.stop()).resolves.toBeUndefined();
  });
});
