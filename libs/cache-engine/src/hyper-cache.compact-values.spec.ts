import fc from 'fast-check';
import { InvalidOptionError } from './errors';
import { HyperCache } from './hyper-cache';
import { cacheOf } from './testing/engine-test-kit';

/** Every byte value 0–255, including the ones UTF-8 would mangle. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe(`${HyperCache.name} compactValueBytes`, () => {
  it('returns every byte of a small Buffer exactly, as a fresh Buffer each read', () => {
    const sut = cacheOf<Buffer>({ compactValueBytes: 256 });
    const written = Buffer.from(ALL_BYTES);
    sut.set('k', written);
    const read = sut.get('k') as Buffer;
    expect(Buffer.isBuffer(read)).toBe(true);
    expect(read.equals(ALL_BYTES)).toBe(true);
    expect(read).not.toBe(written);
    // The store holds its own copy: mutating what was written or read changes nothing stored.
    written.fill(0);
    read.fill(1);
    expect((sut.get('k') as Buffer).equals(ALL_BYTES)).toBe(true);
  });

  it('round-trips any bytes up to the limit through get, getWithInfo, list and getMultiple', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const sut = cacheOf<Buffer>({ compactValueBytes: 64 });
        const value = Buffer.from(bytes);
        sut.set('k', value);
        expect((sut.get('k') as Buffer).equals(value)).toBe(true);
        expect(sut.getWithInfo('k')?.value.equals(value)).toBe(true);
        expect(sut.list()[0].value.equals(value)).toBe(true);
        expect(sut.getMultiple(['k']).found.get('k')?.equals(value)).toBe(true);
      }),
    );
  });

  it('stores larger Buffers and values that are not Buffers as given', () => {
    const sut = cacheOf<unknown>({ compactValueBytes: 4 });
    const big = Buffer.from('12345');
    const view = new Uint8Array([1, 2, 3]);
    const text = 'abc';
    const obj = { a: 1 };
    sut.set('big', big);
    sut.set('view', view);
    sut.set('text', text);
    sut.set('obj', obj);
    sut.set('small', Buffer.from('1234'));
    expect(sut.get('big')).toBe(big);
    expect(sut.get('view')).toBe(view);
    expect(sut.get('text')).toBe('abc');
    expect(sut.get('obj')).toBe(obj);
    expect(Buffer.isBuffer(sut.get('small'))).toBe(true);
    expect(String(sut.get('small'))).toBe('1234');
  });

  it('never decodes a string written into a slot that held a compact value (overwrite, remove, eviction)', () => {
    const sut = cacheOf<unknown>({ compactValueBytes: 16, capacity: 1, evictionAlgorithm: 'lru', evictionIntervalMs: 0 });
    sut.set('a', Buffer.from('bytes'));
    sut.set('a', 'now a string');
    expect(sut.get('a')).toBe('now a string');
    sut.set('a', Buffer.from('bytes'));
    sut.remove('a');
    sut.set('b', 'str-b');
    expect(sut.get('b')).toBe('str-b');
    sut.set('c', Buffer.from('c-bytes'));
    // capacity 1: writing 'd' evicts 'c', whose slot 'd' may reuse.
    sut.set('d', 'str-d');
    expect([sut.get('c'), sut.get('d')]).toEqual([undefined, 'str-d']);
  });

  it('keeps values exact when the eviction tracking is rebuilt (capacity grows) and after clear', () => {
    const sut = cacheOf<unknown>({ compactValueBytes: 16, capacity: 2, evictionIntervalMs: 0 });
    sut.set('x', Buffer.from([0, 255, 128]));
    sut.set('s', 'plain');
    sut.setCapacity(1_000);
    expect([...(sut.get('x') as Buffer)]).toEqual([0, 255, 128]);
    expect(sut.get('s')).toBe('plain');
    sut.clear();
    sut.set('s2', 'plain-2');
    sut.set('x2', Buffer.from([7]));
    expect(sut.get('s2')).toBe('plain-2');
    expect([...(sut.get('x2') as Buffer)]).toEqual([7]);
  });

  it('charges the size of the written value, whatever form it is stored in', () => {
    const sut = cacheOf<Buffer>({ compactValueBytes: 64 });
    expect(sut.set('k', ALL_BYTES.subarray(0, 40)).size).toBe(40);
    expect(sut.allocation()).toBe(40);
    expect(sut.getWithInfo('k')?.size).toBe(40);
  });

  it.each([-1, 1.5, Number.NaN])('rejects compactValueBytes %p naming the option', (bad) => {
    expect(() => new HyperCache({ compactValueBytes: bad })).toThrow(InvalidOptionError);
    expect(() => new HyperCache({ compactValueBytes: bad })).toThrow(/compactValueBytes/);
  });
});
