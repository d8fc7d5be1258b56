import { copyItem, isExpired, isValidKey, newItem } from './item';

describe('item', () => {
  it.each([
    ['k', true],
    ['a b', true],
    [' a', true],
    ['\u00a0x', true],
    ['é', true],
    ['', false],
    [' ', false],
    ['\t\n\r', false],
    ['\u00a0\u3000\ufeff', false],
    [42, false],
    [undefined, false],
  ])('isValidKey(%j) → %s', (key, valid) => {
    expect(isValidKey(key)).toBe(valid);
  });

  it.each([
    [0, 0, 10_000, false],
    [1000, 0, 1000, false],
    [1000, 0, 1001, true],
  ])('isExpired with ttl %d written at %d, checked at %d → %s', (ttl, at, now, expired) => {
    expect(isExpired(newItem('k', 'v', 1, 1, 'n', at, ttl), now)).toBe(expired);
  });

  it('copyItem returns a frozen, detached copy', () => {
    const item = newItem('k', 'v', 1, 1, 'n', 0, 0);
    const copy = copyItem(item);
    item.accessCount = 5;
    expect(copy.accessCount).toBe(0);
    expect(Object.isFrozen(copy)).toBe(true);
  });
});
