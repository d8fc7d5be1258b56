import { defaultSizeOf } from './size-of';

describe(defaultSizeOf.name, () => {
  it.each([
    ['Buffer', Buffer.from('abc'), 3],
    ['Float64Array', new Float64Array(4), 32],
    ['DataView', new DataView(new ArrayBuffer(6)), 6],
    ['ArrayBuffer', new ArrayBuffer(5), 5],
    ['ASCII string', 'abcd', 4],
    ['UTF-8 string', '€', 3],
    ['number', 3.14, 8],
    ['bigint', 10n, 8],
    ['boolean', true, 1],
    ['size-reporting property', { sizeBytes: 99 }, 99],
    ['size-reporting method', { sizeBytes: () => 12 }, 12],
    ['plain object (JSON length)', { a: 'b' }, 9],
    ['array (JSON length)', [1, 2], 5],
  ])('%s → %d bytes', (_kind, value, bytes) => {
    expect(defaultSizeOf(value)).toBe(bytes);
  });

  it('a value that cannot be serialized fails with BAD_REQUEST', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => defaultSizeOf(cyclic)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
