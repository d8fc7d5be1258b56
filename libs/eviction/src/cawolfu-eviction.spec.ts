import fc from 'fast-check';
import { CawolfuEviction } from './cawolfu-eviction';
import { LruEviction } from './lru-eviction';

type Op = { kind: 'set' | 'get' | 'delete'; key: string } | { kind: 'evict' };

const keyArb = fc.integer({ min: 0, max: 30 }).map((i) => `k${i}`);
const opsArb = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: keyArb.map((key): Op => ({ kind: 'set', key })) },
    { weight: 3, arbitrary: keyArb.map((key): Op => ({ kind: 'get', key })) },
    { weight: 1, arbitrary: keyArb.map((key): Op => ({ kind: 'delete', key })) },
    { weight: 2, arbitrary: fc.constant<Op>({ kind: 'evict' }) },
  ),
  { maxLength: 300 },
);

describe(CawolfuEviction.name, () => {
  it('chooses exactly the victims LRU chooses (spec §5: count is kept upstream but never consulted)', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const sut = new CawolfuEviction();
        const lru = new LruEviction();
        for (const op of ops) {
          if (op.kind === 'evict') expect(sut.evict()).toBe(lru.evict());
          else if (op.kind === 'set') {
            sut.set(op.key);
            lru.set(op.key);
          } else expect(sut[op.kind](op.key)).toBe(lru[op.kind](op.key));
          expect(sut.length).toBe(lru.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('passes the contract scenario: set a, set b, get a, set c → evict returns b', () => {
    const sut = new CawolfuEviction({ capacity: 2 });
    sut.set('a');
    sut.set('b');
    sut.get('a');
    sut.set('c');
    expect(sut.evict()).toBe('b');
    expect(sut.get('a')).toBe(true);
    expect(sut.get('c')).toBe(true);
  });

  it('evicts the least recent key even when it is the most frequently accessed', () => {
    const sut = new CawolfuEviction();
    sut.set('hot');
    for (let i = 0; i < 10; i++) sut.get('hot');
    sut.set('cold');
    expect(sut.evict()).toBe('hot');
  });

  it('is named cawolfu and returns undefined from evict when empty', () => {
    const sut = new CawolfuEviction();
    expect(sut.name).toBe('cawolfu');
    expect(sut.evict()).toBeUndefined();
    expect(sut.delete('x')).toBe(false);
  });
});
