import fc from 'fast-check';
import { createEvictionAlgorithm } from './create-eviction-algorithm';
import type { EvictionAlgorithm } from './eviction-algorithm';
import { createDefaultEvictionRegistry } from './eviction-registry';

// The interface contract (eviction.md §1) as it applies in TS, where the engine — not the
// algorithm — decides when to evict (engine.md §5): after a write leaves more keys than
// `capacity`, the engine calls evict().
const registry = createDefaultEvictionRegistry({ enableArc: true });
type Build = (capacity: number) => EvictionAlgorithm;
const single: [string, Build][] = registry.names().map((name): [string, Build] => [name, (c) => registry.create(name, c)]);
const sharded: [string, Build][] = [
  ['lru × 4 shards', (c) => createEvictionAlgorithm(registry, { algorithm: 'lru', capacity: c, shardCount: 4 })],
];

describe.each(single)('eviction contract, single instance: %s', (_name, build) => {
  it('capacity 2: set a, set b, get a, set c, then evict → b; a and c stay tracked', () => {
    const sut = build(2);
    sut.set('a');
    sut.set('b');
    expect(sut.get('a')).toBe(true);
    sut.set('c');
    expect(sut.evict()).toBe('b');
    expect(sut.get('b')).toBe(false);
    expect(sut.get('a')).toBe(true);
    expect(sut.get('c')).toBe(true);
  });
});

describe.each([...single, ...sharded])('eviction contract: %s', (_name, build) => {
  it('returns undefined from evict when empty, also after draining', () => {
    const sut = build(4);
    expect(sut.evict()).toBeUndefined();
    sut.set('a');
    expect(sut.evict()).toBe('a');
    expect(sut.evict()).toBeUndefined();
  });

  it('makes get miss after delete; delete of an unknown key is a no-op returning false', () => {
    const sut = build(2);
    sut.set('a');
    sut.set('b');
    expect(sut.delete('a')).toBe(true);
    expect(sut.get('a')).toBe(false);
    expect(sut.delete('nope')).toBe(false);
    expect(sut.evict()).toBe('b');
  });

  it('never drops a key on insert: the engine decides when to evict', () => {
    const sut = build(2);
    for (const k of ['a', 'b', 'c', 'd', 'e']) sut.set(k);
    expect(sut.length).toBe(5);
    const drained = new Set<string>();
    for (let k = sut.evict(); k !== undefined; k = sut.evict()) drained.add(k);
    expect([...drained].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('tracks exactly the keys of a Set model and evicts each tracked key once, for any sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.constantFrom('set', 'set', 'get', 'delete', 'evict'), fc.integer({ min: 0, max: 12 })), {
          maxLength: 150,
        }),
        (capacity, ops) => {
          const sut = build(capacity);
          const model = new Set<string>();
          for (const [kind, i] of ops) {
            const key = `k${i}`;
            if (kind === 'set') {
              sut.set(key);
              model.add(key);
            } else if (kind === 'get') expect(sut.get(key)).toBe(model.has(key));
            else if (kind === 'delete') expect(sut.delete(key)).toBe(model.delete(key));
            else {
              const victim = sut.evict();
              expect(victim === undefined ? model.size === 0 : model.delete(victim)).toBe(true);
            }
            expect(sut.length).toBe(model.size);
          }
          for (let k = sut.evict(); k !== undefined; k = sut.evict()) expect(model.delete(k)).toBe(true);
          expect(model.size).toBe(0);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('clear forgets every key', () => {
    const sut = build(3);
    for (const k of ['a', 'b', 'c', 'd']) sut.set(k);
    sut.clear();
    expect(sut.length).toBe(0);
    expect(sut.get('a')).toBe(false);
    expect(sut.evict()).toBeUndefined();
  });
});
