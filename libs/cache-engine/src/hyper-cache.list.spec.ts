import { InMemoryBackend } from './backends/in-memory-backend';
import type { Backend } from './backends/backend';
import { HyperCache } from './hyper-cache';
import { filterFunc, sortBy, sortOrderAsc } from './list-filters';
import { FakeClock, cacheOf, errorOf } from './testing/engine-test-kit';

function filled(clock = new FakeClock()): HyperCache<string> {
  const sut = cacheOf<string>({}, clock);
  sut.set('b', 'v', 300);
  clock.advance(1);
  sut.set('a', 'v', 100);
  clock.advance(1);
  sut.set('c', 'v', 200);
  sut.get('c');
  sut.get('c');
  sut.get('b');
  return sut;
}

describe(`${HyperCache.name} list`, () => {
  it.each([
    ['Key', ['a', 'b', 'c']],
    ['LastAccess', ['a', 'b', 'c']],
    ['AccessCount', ['a', 'b', 'c']],
    ['Expiration', ['a', 'c', 'b']],
  ])('sortBy(%s) sorts ascending', (field, expected) => {
    const clock = new FakeClock();
    const sut = filled(clock);
    if (field === 'LastAccess') {
      clock.advance(5);
      sut.get('c');
    }
    expect(sut.list(sortBy(field)).map((i) => i.key)).toEqual(field === 'LastAccess' ? ['a', 'b', 'c'] : expected);
  });

  it('sortOrderAsc(false) reverses the current order; true is a no-op', () => {
    const sut = filled();
    expect(sut.list(sortBy('Key'), sortOrderAsc(false)).map((i) => i.key)).toEqual(['c', 'b', 'a']);
    expect(sut.list(sortBy('Key'), sortOrderAsc(true)).map((i) => i.key)).toEqual(['a', 'b', 'c']);
  });

  it('applies filters in order, each on the previous output', () => {
    const sut = filled();
    const out = sut.list(filterFunc((i) => i.key !== 'b'), sortBy('Key'), sortOrderAsc(false));
    expect(out.map((i) => i.key)).toEqual(['c', 'a']);
  });

  it.each(['Size', 'Nope'])('sortBy(%s) fails with BAD_REQUEST invalid sort field', (field) => {
    const err = errorOf(() => filled().list(sortBy(field)));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.name).toBe('InvalidSortFieldError');
  });

  it('returns frozen copies, not the stored records', () => {
    const sut = filled();
    const [item] = sut.list(sortBy('Key'));
    expect(Object.isFrozen(item)).toBe(true);
    sut.get('a');
    expect(item.accessCount).toBe(0);
  });

  it('hands the filters to the backend (every backend applies them)', () => {
    const backend = new InMemoryBackend<string>();
    const list = jest.spyOn(backend as Backend<string>, 'list');
    const sut = cacheOf<string>({ backend });
    sut.set('a', 'v');
    const f = filterFunc<string>(() => false);
    expect(sut.list(f)).toEqual([]);
    expect(list).toHaveBeenCalledWith([f]);
  });

  it('the expiration sweep lists through backend filters, so it removes only expired items', async () => {
    const clock = new FakeClock();
    const backend = new InMemoryBackend<string>();
    const list = jest.spyOn(backend, 'list');
    const sut = cacheOf<string>({ backend }, clock);
    sut.set('old', 'v', 1);
    sut.set('hot', 'v');
    clock.advance(2);
    sut.triggerExpiration();
    await sut.idle();
    expect(list.mock.calls.at(-1)?.[0]).toHaveLength(1);
    expect(sut.list().map((i) => i.key)).toEqual(['hot']);
  });
});
