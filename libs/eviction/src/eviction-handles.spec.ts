import fc from 'fast-check';
import { ArcEviction } from './arc-eviction';
import type { SlotEvictionAlgorithm } from './eviction-algorithm';
import { createDefaultEvictionRegistry } from './eviction-registry';

// The slot-handle API (EvictionHandles) must be exactly the key API addressed by slot: a sequence
// that mixes key and handle calls chooses the same victims, answers the same and tracks the same
// keys as the key-only sequence on a twin instance.
const registry = createDefaultEvictionRegistry({ enableArc: true });
const names = registry.names();
const build = (name: string, capacity: number) => registry.create(name, capacity) as SlotEvictionAlgorithm;

type Op = { kind: 'set' | 'get' | 'delete'; key: number; viaSlot: boolean } | { kind: 'evict'; viaSlot: boolean } | { kind: 'clear' };

function opsArb(keys: number): fc.Arbitrary<Op[]> {
  const key = fc.integer({ min: 0, max: keys - 1 });
  return fc.array(
    fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), key, viaSlot: fc.boolean() }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('get' as const), key, viaSlot: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key, viaSlot: fc.boolean() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('evict' as const), viaSlot: fc.boolean() }) },
      { weight: 1, arbitrary: fc.constant<Op>({ kind: 'clear' }) },
    ),
    { minLength: 5, maxLength: 200, size: 'large' },
  );
}

/** Capacity c with keys drawn from 2c + 2 names (ARC ghost hits) or from 12. */
const caseArb = fc.integer({ min: 1, max: 6 }).chain((c) => fc.tuple(fc.constant(c), fc.oneof(opsArb(2 * c + 2), opsArb(12))));

describe.each(names)('eviction handles: %s', (name) => {
  it('mixed key/handle sequences evict, answer and track exactly like key-only ones; slots are stable while tracked', () => {
    fc.assert(
      fc.property(caseArb, ([capacity, ops]) => {
        const byKey = build(name, capacity);
        const sut = build(name, capacity);
        /** Key whose set last returned each slot (a tracked key keeps its slot). */
        const owner = new Map<number, string>();
        /** Slot each tracked key got from its last set. */
        const slotOfKey = new Map<string, number>();
        const remember = (key: string, slot: number) => {
          expect(slot).toBeGreaterThan(0);
          owner.set(slot, key);
          slotOfKey.set(key, slot);
        };
        for (const op of ops) {
          if (op.kind === 'clear') {
            byKey.clear();
            sut.clear();
            slotOfKey.clear();
          } else if (op.kind === 'evict') {
            const expected = byKey.evict();
            let victim: string | undefined;
            if (op.viaSlot) {
              const slot = sut.evictSlot();
              victim = slot === 0 ? undefined : owner.get(slot);
            } else victim = sut.evict();
            expect(victim).toBe(expected);
            if (victim !== undefined) slotOfKey.delete(victim);
          } else {
            const key = `k${op.key}`;
            const slot = sut.slotOf(key);
            if (op.kind === 'set') {
              byKey.set(key);
              if (!op.viaSlot) sut.set(key);
              else if (slot !== 0) sut.rewrite(slot);
              // insertAbsent is insert for an untracked key (odd keys take it).
              else remember(key, op.key % 2 === 1 ? sut.insertAbsent(key) : sut.insert(key));
              remember(key, sut.slotOf(key));
            } else if (op.kind === 'get') {
              const hit = op.viaSlot ? slot !== 0 && (sut.touch(slot), true) : sut.get(key);
              expect(hit).toBe(byKey.get(key));
            } else {
              // Handles address tracked keys only: an untracked key (e.g. an ARC ghost, which `delete`
              // forgets) goes through the key API on both twins.
              const removed = op.viaSlot && slot !== 0 ? (sut.remove(slot), true) : sut.delete(key);
              expect(removed).toBe(byKey.delete(key));
              slotOfKey.delete(key);
            }
          }
          expect(sut.length).toBe(byKey.length);
          if (sut instanceof ArcEviction) expect(sut.snapshot()).toEqual((byKey as ArcEviction).snapshot());
          // Demoted-then-evicted ARC keys leave the map via the victim path above; what remains is tracked.
          for (const [key, slot] of slotOfKey) {
            expect(sut.slotOf(key)).toBe(slot);
            expect(sut.keyAt(slot)).toBe(key);
          }
        }
        const drained: (string | undefined)[] = [];
        for (let s = sut.evictSlot(); s !== 0; s = sut.evictSlot()) drained.push(owner.get(s));
        const expected: string[] = [];
        for (let k = byKey.evict(); k !== undefined; k = byKey.evict()) expected.push(k);
        expect(drained).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('insert returns the slot slotOf reports; 0 means untracked; evictSlot answers 0 when empty', () => {
    const sut = build(name, 4);
    expect(sut.slotOf('a')).toBe(0);
    expect(sut.evictSlot()).toBe(0);
    const a = sut.insert('a');
    expect(a).toBeGreaterThan(0);
    expect(sut.slotOf('a')).toBe(a);
    expect(sut.keyAt(a)).toBe('a');
    expect(sut.insert('a')).toBe(a);
    sut.remove(a);
    expect(sut.slotOf('a')).toBe(0);
    expect(sut.keyAt(a)).toBeUndefined();
    expect(sut.length).toBe(0);
  });
});
