import * as fc from 'fast-check';
import { HyperCache } from './hyper-cache';
import type { HyperCacheOptions } from './hyper-cache-options';
import { cacheOf, errorOf, TinyLru } from './testing/engine-test-kit';

// `cacheFullPolicy: 'evict'` turns `maxCacheSizeBytes` into a memory limit (the server's
// HYPERCACHE_MAX_MEMORY): writes evict with the configured algorithm until they fit; a single item
// larger than the limit is refused before anything is evicted. Both tracking modes of the core are
// checked: a built-in algorithm's slot handles, and a key-only algorithm driven by key.
const paths: Array<[string, () => Pick<HyperCacheOptions<string>, 'evictionAlgorithm'>]> = [
  ['slot handles', () => ({})],
  ['driven by key', () => ({ evictionAlgorithm: new TinyLru() })],
];

describe.each(paths)(`${HyperCache.name} evict-to-fit byte limit (%s)`, (_name, backendOf) => {
  const cacheWith = (o: HyperCacheOptions<string>) => cacheOf<string>({ cacheFullPolicy: 'evict', ...backendOf(), ...o });

  it('evicts least recently used items until a new write fits, and the newest keys stay readable', () => {
    const sut = cacheWith({ maxCacheSizeBytes: 100 });
    for (let i = 0; i < 10; i++) sut.set(`k${i}`, 'x'.repeat(10));
    sut.get('k0'); // k0 becomes the most recently used
    sut.set('big', 'y'.repeat(35));
    expect(sut.allocation()).toBeLessThanOrEqual(100);
    expect(sut.keys().sort()).toEqual(['big', 'k0', 'k5', 'k6', 'k7', 'k8', 'k9'].sort());
    expect(sut.counters().evictions).toBe(4);
    expect(sut.get('big')).toBe('y'.repeat(35));
  });

  it('refuses an item larger than the whole limit with ITEM_TOO_LARGE and evicts nothing', () => {
    const sut = cacheWith({ maxCacheSizeBytes: 50 });
    sut.set('a', 'x'.repeat(20));
    const err = errorOf(() => sut.set('huge', 'z'.repeat(51)));
    expect(err.code).toBe('ITEM_TOO_LARGE');
    expect(sut.keys()).toEqual(['a']);
    expect(sut.allocation()).toBe(20);
    expect(sut.counters().evictions).toBe(0);
  });

  it('an item exactly at the limit fits by evicting everything else', () => {
    const sut = cacheWith({ maxCacheSizeBytes: 50 });
    sut.set('a', 'x'.repeat(20));
    sut.set('b', 'x'.repeat(20));
    sut.set('c', 'x'.repeat(50));
    expect(sut.keys()).toEqual(['c']);
    expect(sut.allocation()).toBe(50);
  });

  it('an overwrite that grows evicts other items; the key itself keeps its new value', () => {
    const sut = cacheWith({ maxCacheSizeBytes: 40 });
    sut.set('a', 'x'.repeat(10));
    sut.set('b', 'x'.repeat(10));
    sut.set('c', 'x'.repeat(10));
    sut.set('c', 'y'.repeat(30));
    expect(sut.get('c')).toBe('y'.repeat(30));
    expect(sut.allocation()).toBeLessThanOrEqual(40);
    expect(sut.keys().sort()).toEqual(['b', 'c']);
  });

  it('an overwrite whose own key is the victim is stored as a new key', () => {
    const sut = cacheWith({ maxCacheSizeBytes: 30 });
    sut.set('old', 'x'.repeat(10));
    sut.set('b', 'x'.repeat(10));
    sut.get('b');
    sut.set('old', 'y'.repeat(25)); // LRU victim order: old, then b
    expect(sut.get('old')).toBe('y'.repeat(25));
    expect(sut.keys()).toEqual(['old']);
    expect(sut.allocation()).toBe(25);
  });

  it('also evicts by bytes with an unlimited item capacity (capacity 0)', () => {
    const sut = cacheWith({ maxCacheSizeBytes: 64, capacity: 0 });
    for (let i = 0; i < 100; i++) sut.set(`k${i}`, 'x'.repeat(8));
    expect(sut.count()).toBe(8);
    expect(sut.get('k99')).toBe('x'.repeat(8));
    expect(sut.evictionAlgorithm.length).toBe(8);
  });

  it('replicas (stamped writes) evict to fit as well', () => {
    const sut = cacheWith({ maxCacheSizeBytes: 20 });
    sut.set('a', 'x'.repeat(15));
    sut.set('r', 'z'.repeat(10), 0, { version: 5, origin: 'peer', expiresAtMs: 0 });
    expect(sut.keys()).toEqual(['r']);
    expect(sut.peek('r')).toEqual({ version: 5, origin: 'peer' });
  });

  it('never holds more than the limit, and allocation is the sum of stored sizes (property)', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('set' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), len: fc.nat(60) }),
      fc.record({ op: fc.constant('get' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
      fc.record({ op: fc.constant('remove' as const), key: fc.constantFrom('a', 'b', 'c') }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.nat(4), fc.array(op, { maxLength: 60 }), (maxBytes, capacity, ops) => {
        const sut = cacheWith({ maxCacheSizeBytes: maxBytes, capacity, evictionIntervalMs: 0 });
        for (const o of ops) {
          if (o.op === 'set') {
            const value = 'x'.repeat(o.len);
            try {
              sut.set(o.key, value);
              expect(sut.get(o.key)).toBe(value); // a write that answers succeeded is readable
            } catch (err) {
              expect((err as { code: string }).code).toBe('ITEM_TOO_LARGE');
              expect(o.len).toBeGreaterThan(maxBytes);
            }
          } else if (o.op === 'get') sut.get(o.key);
          else sut.remove(o.key);
          expect(sut.allocation()).toBe(sut.list().reduce((s, i) => s + i.size, 0));
          expect(sut.allocation()).toBeLessThanOrEqual(maxBytes);
          expect(sut.evictionAlgorithm.length).toBe(sut.count());
        }
      }),
    );
  });
});

describe(`${HyperCache.name} sizeOf`, () => {
  it('gets the key as its second argument, so a sizer can charge keys and per-item overhead', () => {
    const sut = cacheOf<string>({ sizeOf: (v, k) => v.length + k.length + 100, cacheFullPolicy: 'evict', maxCacheSizeBytes: 250 });
    sut.set('key1', 'abc');
    expect(sut.allocation()).toBe(107);
    sut.set('key2', 'abc');
    sut.set('key3', 'abc');
    expect(sut.count()).toBe(2);
    expect(sut.allocation()).toBe(214);
  });

  it("rejects an unknown cacheFullPolicy naming the option", () => {
    expect(errorOf(() => new HyperCache({ cacheFullPolicy: 'drop' as never })).code).toBe('BAD_REQUEST');
  });
});
