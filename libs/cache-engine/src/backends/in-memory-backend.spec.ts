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

describe(`${InMemoryBackend.name} records`, () => {
  const at = (key: string, origin = 'n', ms = 1000) => ({ ...newItem(key, `v-${key}`, 3, 7, origin, ms, 50), accessCount: 2, lastAccessMs: ms + 5 });

  it('returns fresh copies holding every field as stored', () => {
    const sut = new InMemoryBackend<string>();
    const stored = at('k');
    sut.set(stored);
    const copy = sut.get('k')!;
    expect(copy).toEqual(stored);
    expect(copy).not.toBe(stored);
    copy.accessCount = 9;
    expect(sut.get('k')!.accessCount).toBe(2);
    expect(sut.get('nope')).toBeUndefined();
  });

  it('lists in insertion order; an overwrite keeps its place, a delete and re-insert moves to the end', () => {
    const sut = new InMemoryBackend<string>();
    for (const k of ['c', 'a', 'b']) sut.set(at(k));
    sut.set({ ...at('a'), value: 'new' });
    expect(sut.list([]).map((i) => i.key)).toEqual(['c', 'a', 'b']);
    expect(sut.get('a')!.value).toBe('new');
    sut.delete('c');
    sut.set(at('c'));
    expect(sut.list([]).map((i) => i.key)).toEqual(['a', 'b', 'c']);
  });

  it('keeps each item’s origin, including after overwrites, deletes and clear', () => {
    const sut = new InMemoryBackend<string>();
    sut.set(at('a', 'n1'));
    sut.set(at('b', 'n2'));
    sut.set(at('c', 'n1'));
    sut.set(at('b', 'n1'));
    sut.set(at('a', 'n3'));
    expect(sut.list([]).map((i) => [i.key, i.origin])).toEqual([
      ['a', 'n3'],
      ['b', 'n1'],
      ['c', 'n1'],
    ]);
    sut.delete('a');
    sut.set(at('d', 'n4'));
    expect(sut.get('d')!.origin).toBe('n4');
    sut.clear();
    sut.set(at('e', 'n5'));
    expect(sut.get('e')!.origin).toBe('n5');
  });

  it('stores many items past its initial slot columns', () => {
    const sut = new InMemoryBackend<string>();
    for (let i = 0; i < 1000; i++) sut.set(at(`k${i}`, `o${i % 3}`, i));
    expect(sut.count()).toBe(1000);
    expect(sut.get('k999')).toMatchObject({ origin: 'o0', lastUpdatedMs: 999, lastAccessMs: 1004 });
    expect(sut.list([]).map((i) => i.key).slice(0, 3)).toEqual(['k0', 'k1', 'k2']);
  });
});
