import { NO_EVICTION } from './eviction-algorithm';
import { KeyedSlotTracker } from './keyed-slot-tracker';
import { TinyLru } from './testing/engine-test-kit';

describe(KeyedSlotTracker.name, () => {
  it('gives keys slots and forwards slot operations to the algorithm by key', () => {
    const lru = new TinyLru();
    const sut = new KeyedSlotTracker(lru);
    const a = sut.insert('a');
    const b = sut.insert('b');
    expect([sut.slotOf('a'), sut.slotOf('b'), sut.slotOf('x')]).toEqual([a, b, 0]);
    expect(sut.keyAt(a)).toBe('a');
    sut.touch(a);
    expect(lru.keys()).toEqual(['b', 'a']);
    expect(sut.evictSlot()).toBe(b);
    expect(sut.slotOf('b')).toBe(0);
    sut.remove(a);
    expect([sut.length, lru.keys()]).toEqual([0, []]);
  });

  it('adopts keys without telling the algorithm, and answers 0 for a victim it does not hold (stale)', () => {
    const lru = new TinyLru();
    const sut = new KeyedSlotTracker(lru);
    expect(sut.adopt('a')).toBeGreaterThan(0);
    expect(lru.keys()).toEqual([]);
    lru.set('ghost');
    expect(sut.evictSlot()).toBe(0);
  });

  it('over `none` holds keys and never proposes a victim', () => {
    const sut = new KeyedSlotTracker(NO_EVICTION);
    sut.insert('a');
    expect([sut.length, sut.evictSlot(), sut.slotOf('a') > 0]).toEqual([0, 0, true]);
    sut.clear();
    expect(sut.slotOf('a')).toBe(0);
  });
});
