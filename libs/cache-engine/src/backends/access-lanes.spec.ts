import * as fc from 'fast-check';
import { AccessLanes, FREE, HAS_TTL, NEEDS_RECORD, TOUCHED } from './access-lanes';

const T = 1_700_000_000_000;
const DAY = 86_400_000;

describe(AccessLanes.name, () => {
  it('keeps live/TTL flags, counts and times of each slot; a cleared slot is free', () => {
    const sut = new AccessLanes(4);
    sut.set(1, 0, T, false);
    sut.set(2, 7, T + 5, true);
    expect([sut.isLive(1), sut.hasTtl(1), sut.accessCount(1), sut.lastAccessMs(1)]).toEqual([true, false, 0, T]);
    expect([sut.isLive(2), sut.hasTtl(2), sut.accessCount(2), sut.lastAccessMs(2)]).toEqual([true, true, 7, T + 5]);
    expect(sut.isLive(3)).toBe(false);
    expect(sut.isLive(99)).toBe(false);
    sut.clear(1);
    expect(sut.isLive(1)).toBe(false);
    expect(sut.tryTouch(1, T)).toBe(FREE);
    expect(sut.isLive(1)).toBe(false);
  });

  it('records hits on items with a TTL exactly, next to spilled values of other slots', () => {
    const sut = new AccessLanes(4);
    sut.set(1, 0, T, true);
    sut.set(2, 2 ** 40, T + 0.5, true); // spilled count and time: the exact path
    for (let i = 1; i <= 3; i++) {
      expect(sut.tryTouch(1, T + i)).toBe(HAS_TTL);
      sut.record(1, T + i);
      sut.record(2, T + i);
    }
    expect([sut.accessCount(1), sut.lastAccessMs(1), sut.hasTtl(1)]).toEqual([3, T + 3, true]);
    expect([sut.accessCount(2), sut.lastAccessMs(2), sut.hasTtl(2)]).toEqual([2 ** 40 + 3, T + 3, true]);
    sut.clear(2);
    sut.set(2, 0, T, false);
    expect(sut.tryTouch(2, T + 9)).toBe(TOUCHED);
    expect([sut.accessCount(2), sut.lastAccessMs(2)]).toEqual([1, T + 9]);
  });

  it('the fast path counts a hit on an item without TTL, reports items with a TTL untouched; record counts any', () => {
    const sut = new AccessLanes(4);
    sut.set(1, 0, T, false);
    sut.set(2, 0, T, true);
    expect(sut.tryTouch(1, T + 3)).toBe(TOUCHED);
    expect([sut.accessCount(1), sut.lastAccessMs(1), sut.hasTtl(1)]).toEqual([1, T + 3, false]);
    expect(sut.tryTouch(2, T + 3)).toBe(HAS_TTL);
    expect([sut.accessCount(2), sut.lastAccessMs(2), sut.hasTtl(2)]).toEqual([0, T, true]);
    sut.record(2, T + 4);
    expect([sut.accessCount(2), sut.lastAccessMs(2), sut.hasTtl(2)]).toEqual([1, T + 4, true]);
  });

  it('counts past 2^31 exactly (spilled), keeping the TTL flag, and back to small counts', () => {
    const sut = new AccessLanes(4);
    sut.set(1, 2 ** 31 - 3, T, true);
    sut.record(1, T);
    sut.record(1, T);
    expect(sut.accessCount(1)).toBe(2 ** 31 - 1);
    expect(sut.hasTtl(1)).toBe(true);
    expect(sut.tryTouch(1, T)).toBe(HAS_TTL);
    sut.set(1, 2 ** 40, T, false);
    expect(sut.tryTouch(1, T)).toBe(NEEDS_RECORD);
    sut.record(1, T);
    expect([sut.accessCount(1), sut.hasTtl(1)]).toEqual([2 ** 40 + 1, false]);
    sut.set(1, 3, T, false);
    expect(sut.tryTouch(1, T)).toBe(TOUCHED);
    expect(sut.accessCount(1)).toBe(4);
  });

  it('keeps fractional and non-finite times exactly', () => {
    const sut = new AccessLanes(4);
    sut.set(1, 0, T + 0.5, false);
    sut.set(2, 0, Number.NaN, false);
    expect(sut.tryTouch(1, T + 1.25)).toBe(NEEDS_RECORD);
    sut.record(1, T + 1.25);
    expect(sut.lastAccessMs(1)).toBe(T + 1.25);
    expect(sut.lastAccessMs(2)).toBeNaN();
    sut.record(1, T + 2);
    expect(sut.lastAccessMs(1)).toBe(T + 2);
    expect(sut.tryTouch(1, T + 3)).toBe(TOUCHED);
  });

  it('re-bases the epoch when time moves by more than 24 days, keeping every stored time exact', () => {
    const sut = new AccessLanes(4);
    sut.set(1, 0, T, false);
    sut.set(2, 0, T + 1, false);
    expect(sut.tryTouch(2, T + 30 * DAY)).toBe(NEEDS_RECORD);
    sut.record(2, T + 30 * DAY);
    expect(sut.lastAccessMs(2)).toBe(T + 30 * DAY);
    expect(sut.lastAccessMs(1)).toBe(T);
    expect(sut.tryTouch(2, T + 30 * DAY + 1)).toBe(TOUCHED);
    sut.set(3, 0, 10, false); // a clock stepped far back
    expect([sut.lastAccessMs(1), sut.lastAccessMs(2), sut.lastAccessMs(3)]).toEqual([T, T + 30 * DAY + 1, 10]);
    sut.clear(1);
    sut.set(1, 0, T + 60 * DAY, false);
    expect(sut.lastAccessMs(1)).toBe(T + 60 * DAY);
  });

  it('grows and resets without losing or leaking values', () => {
    const sut = new AccessLanes(2);
    sut.set(1, 2 ** 35, 0.5, true);
    sut.grow(8);
    expect([sut.accessCount(1), sut.lastAccessMs(1), sut.hasTtl(1)]).toEqual([2 ** 35, 0.5, true]);
    sut.set(7, 1, T, false);
    sut.reset(2);
    expect(sut.slots).toBe(2);
    expect(sut.isLive(1)).toBe(false);
    sut.set(1, 0, T, false);
    expect([sut.accessCount(1), sut.lastAccessMs(1)]).toEqual([0, T]);
  });

  it('reads back exactly what was written and reports TTL items to the caller, for any sequence of sets, records, touches and clears (property)', () => {
    const time = fc.oneof(fc.integer({ min: T - 40 * DAY, max: T + 40 * DAY }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(T));
    const op = fc.oneof(
      fc.record({ op: fc.constant('set' as const), slot: fc.integer({ min: 1, max: 5 }), count: fc.oneof(fc.nat(10), fc.constant(2 ** 31 - 2), fc.nat()), at: time, ttl: fc.boolean() }),
      fc.record({ op: fc.constant('hit' as const), slot: fc.integer({ min: 1, max: 5 }), at: time }),
      fc.record({ op: fc.constant('clear' as const), slot: fc.integer({ min: 1, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60, size: 'large' }), (ops) => {
        const sut = new AccessLanes(6);
        const model = new Map<number, { count: number; at: number; ttl: boolean }>();
        for (const o of ops) {
          const m = model.get(o.slot);
          if (o.op === 'set') model.set(o.slot, { count: o.count, at: o.at, ttl: o.ttl });
          else if (o.op === 'clear') model.delete(o.slot);
          else if (m !== undefined) model.set(o.slot, { ...m, count: m.count + 1, at: o.at });
          if (o.op === 'set') sut.set(o.slot, o.count, o.at, o.ttl);
          else if (o.op === 'clear') sut.clear(o.slot);
          else if (m !== undefined) {
            const touched = sut.tryTouch(o.slot, o.at);
            // An item with a TTL is always reported (the engine checks its expiry), never touched.
            expect(touched === HAS_TTL).toBe(m.ttl);
            if (touched !== TOUCHED) sut.record(o.slot, o.at);
          }
          for (let slot = 1; slot <= 5; slot++) {
            const want = model.get(slot);
            expect(sut.isLive(slot)).toBe(want !== undefined);
            if (want !== undefined) expect([sut.accessCount(slot), sut.lastAccessMs(slot), sut.hasTtl(slot)]).toEqual([want.count, want.at, want.ttl]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
