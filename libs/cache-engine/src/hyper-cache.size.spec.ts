import * as fc from 'fast-check';
import { HyperCache } from './hyper-cache';
import { cacheOf, errorOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} size accounting`, () => {
  it.each([
    ['a Buffer', Buffer.alloc(64), 64],
    ['a Uint8Array', new Uint8Array(10), 10],
    ['an ASCII string', 'hello', 5],
    ['a multi-byte string', 'é€😀', 2 + 3 + 4],
    ['a JSON object', { a: 1 }, 7],
  ])('sizes %s in bytes', (_name, value, bytes) => {
    const sut = cacheOf<unknown>();
    expect(sut.set('k', value).size).toBe(bytes);
    expect(sut.allocation()).toBe(bytes);
  });

  it('uses the sizeOf option when given', () => {
    const sut = cacheOf<{ n: number }>({ sizeOf: (v) => v.n });
    sut.set('k', { n: 42 });
    expect(sut.allocation()).toBe(42);
  });

  it('an overwrite releases the old size (upstream adds without subtracting)', () => {
    const sut = cacheOf<string>({ maxCacheSizeBytes: 100 });
    for (let i = 0; i < 50; i++) sut.set('k', 'x'.repeat(10));
    expect(sut.allocation()).toBe(10);
    sut.set('k', 'x'.repeat(3));
    expect(sut.allocation()).toBe(3);
  });

  it('a write past maxCacheSize fails with INTERNAL cache is full and changes nothing', () => {
    const sut = cacheOf<string>({ maxCacheSizeBytes: 10 });
    sut.set('a', '12345678');
    const err = errorOf(() => sut.set('b', '123'));
    expect(err.code).toBe('INTERNAL');
    expect(err.name).toBe('CacheFullError');
    expect(sut.allocation()).toBe(8);
    expect(sut.get('b')).toBeUndefined();
    expect(sut.count()).toBe(1);
  });

  it('an overwrite that fits after releasing the old size succeeds', () => {
    const sut = cacheOf<string>({ maxCacheSizeBytes: 10 });
    sut.set('a', '1234567890');
    sut.set('a', '0987654321');
    expect(sut.get('a')).toBe('0987654321');
    expect(sut.allocation()).toBe(10);
  });

  it('remove and eviction release the stored size', () => {
    const sut = cacheOf<string>({ capacity: 1, evictionIntervalMs: 0 });
    sut.set('a', 'aaaa');
    sut.set('b', 'bb');
    expect(sut.allocation()).toBe(2);
    sut.remove('b');
    expect(sut.allocation()).toBe(0);
  });

  it('allocation always equals the sum of stored sizes and never exceeds maxCacheSize (property)', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('set' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), len: fc.nat(40) }),
      fc.record({ op: fc.constant('remove' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
      fc.record({ op: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.nat(100), fc.nat(4), fc.array(op, { maxLength: 60 }), (maxBytes, capacity, ops) => {
        const sut = cacheOf<string>({ maxCacheSizeBytes: maxBytes, capacity, evictionIntervalMs: 0 });
        for (const o of ops) {
          if (o.op === 'set') {
            try {
              sut.set(o.key, 'x'.repeat(o.len));
            } catch (err) {
              expect((err as { code: string }).code).toBe('INTERNAL');
            }
          } else if (o.op === 'remove') sut.remove(o.key);
          else sut.clear();
          const sum = sut.list().reduce((s, i) => s + i.size, 0);
          expect(sut.allocation()).toBe(sum);
          if (maxBytes > 0) expect(sut.allocation()).toBeLessThanOrEqual(maxBytes);
        }
      }),
    );
  });
});
