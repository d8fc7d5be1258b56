import { createDefaultEvictionRegistry, registerArc } from '@hypercache/eviction';
import * as fc from 'fast-check';
import { HyperCache } from './hyper-cache';
import { FakeClock, cacheOf } from './testing/engine-test-kit';

type Op =
  | { op: 'set'; key: string; len: number; ttl: number }
  | { op: 'get'; key: string }
  | { op: 'remove'; key: string }
  | { op: 'tick'; ms: number }
  | { op: 'clear' };

const keys = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), key: keys, len: fc.nat(30), ttl: fc.constantFrom(0, 0, 5, 50) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('get' as const), key: keys }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), key: keys }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

function run(sut: HyperCache<string>, clock: FakeClock, o: Op): void {
  switch (o.op) {
    case 'set':
      try {
        sut.set(o.key, 'x'.repeat(o.len), o.ttl);
      } catch (err) {
        if ((err as { code?: string }).code !== 'INTERNAL') throw err;
      }
      break;
    case 'get':
      sut.get(o.key);
      break;
    case 'remove':
      sut.remove(o.key);
      break;
    case 'tick':
      clock.advance(o.ms);
      break;
    case 'clear':
      sut.clear();
      break;
  }
}

const registry = registerArc(createDefaultEvictionRegistry());

describe(`${HyperCache.name} invariants (property)`, () => {
  it.each(['lru', 'lfu', 'clock', 'cawolfu', 'arc'])(
    'with %s in proactive mode: count ≤ capacity, allocation ≤ max and = Σ sizes, every key tracked, after every op',
    (algorithm) => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 5 }), fc.nat(120), fc.array(opArb, { maxLength: 80 }), (capacity, maxBytes, ops) => {
          const clock = new FakeClock();
          const sut = cacheOf<string>(
            { capacity, maxCacheSizeBytes: maxBytes, evictionIntervalMs: 0, evictionAlgorithm: algorithm, evictionRegistry: registry, evictionAlgorithmFactory: undefined },
            clock,
          );
          for (const o of ops) {
            run(sut, clock, o);
            const items = sut.list();
            expect(sut.count()).toBeLessThanOrEqual(capacity);
            if (maxBytes > 0) expect(sut.allocation()).toBeLessThanOrEqual(maxBytes);
            expect(sut.allocation()).toBe(items.reduce((s, i) => s + i.size, 0));
            expect(sut.evictionAlgorithm.length).toBe(sut.count());
          }
        }),
      );
    },
  );

  it.each(['lfu', 'arc'])('with %s and a lagging eviction loop: count ≤ 2 × capacity and every key stays tracked', (algorithm) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(opArb, { maxLength: 80 }), (capacity, ops) => {
        const clock = new FakeClock();
        const sut = cacheOf<string>({ capacity, evictionAlgorithm: algorithm, evictionRegistry: registry, evictionAlgorithmFactory: undefined }, clock);
        for (const o of ops) {
          run(sut, clock, o);
          expect(sut.count()).toBeLessThanOrEqual(2 * capacity);
          expect(sut.evictionAlgorithm.length).toBe(sut.count());
        }
      }),
    );
  });

  it('with LRU, holds exactly what a model LRU of the same capacity holds (reads refresh recency)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(opArb, { maxLength: 80 }), (capacity, ops) => {
        const clock = new FakeClock();
        const sut = cacheOf<string>({ capacity, evictionIntervalMs: 0 }, clock);
        const model = new Map<string, { value: string; expiresAt: number; ttl: number }>();
        for (const o of ops) {
          run(sut, clock, o);
          const now = clock.ms;
          if (o.op === 'set') {
            model.delete(o.key);
            model.set(o.key, { value: 'x'.repeat(o.len), expiresAt: o.ttl > 0 ? now + o.ttl : 0, ttl: o.ttl });
            if (model.size > capacity) model.delete(model.keys().next().value!);
          } else if (o.op === 'get') {
            const m = model.get(o.key);
            if (m !== undefined && !(m.expiresAt !== 0 && now > m.expiresAt)) {
              model.delete(o.key);
              model.set(o.key, { ...m, expiresAt: m.ttl > 0 ? now + m.ttl : 0 });
            }
          } else if (o.op === 'remove') model.delete(o.key);
          else if (o.op === 'clear') model.clear();
          expect(sut.list().map((i) => i.key).sort()).toEqual([...model.keys()].sort());
        }
      }),
    );
  });
});
