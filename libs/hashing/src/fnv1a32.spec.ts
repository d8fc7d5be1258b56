import { fnv1a32 } from './fnv1a32';

describe('fnv1a32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to the published FNV-1a 32-bit value', (input, expected) => {
    expect(fnv1a32(input)).toBe(expected);
  });

  it('returns an unsigned 32-bit integer', () => {
    for (const key of ['x', 'key:123', 'ä€😀']) {
      const h = fnv1a32(key);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    }
  });
});
