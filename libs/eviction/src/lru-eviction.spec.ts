import fc from 'fast-check';
import { EVICTION_ERROR_CODES } from './errors';
import { LruEviction } from './lru-eviction';

type Op = { kind: 'set' | 'get' | 'delete'; key: string } | { kind: 'evict' };

const keyArb = fc.integer({ min: 0, max: 40 }).map((i) => `k${i}`);
const opsArb = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: keyArb.map((key): Op => ({ kind: 'set', key })) },
    { weight: 3, arbitrary: keyArb.map((key): Op => ({ kind: 'get', key })) },
    { weight: 1, arbitrary: keyArb.map((key): Op => ({ kind: 'delete', key })) },
    { weight: 2, arbitrary: fc.constant<Op>({ kind: 'evict' }) },
  ),
  { maxLength: 300 },
);

/** Reference model: array ordered from least to most recently touched. */
class LruModel {
  readonly order: string[] = [];
  set(key: string): void {
    this.delete(key);
    this.order.push(key);
  }
  get(key: string): boolean {
    if (!this.order.includes(key)) return false;
    this.set(key);
    return true;
  }
  delete(key: string): boolean {
    const i = this.order.indexOf(key);
    if (i < 0) return false;
    this.order.splice(i, 1);
    return true;
  }
  evict(): string | undefined {
    return this.order.shift();
  }
}

describe(LruEviction.name, () => {
  it('evicts the least recently touched key, like the array model, for any operation sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), opsArb, (capacity, ops) => {
        const sut = new LruEviction({ capacity });
        const model = new LruModel();
        for (const op of ops) {
          if (op.kind === 'evict') expect(sut.evict()).toBe(model.evict());
          else if (op.kind === 'set') {
            sut.set(op.key);
            model.set(op.key);
          } else expect(sut[op.kind](op.key)).toBe(model[op.kind](op.key));
          expect(sut.length).toBe(model.order.length);
        }
        const drained: string[] = [];
        for (let k = sut.evict(); k !== undefined; k = sut.evict()) drained.push(k);
        expect(drained).toEqual(model.order);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    { name: 'contract: set a, b, get a, set c, evict → b', ops: 'sa sb ga sc', evicts: ['b', 'a', 'c'] },
    { name: 'insertion order without touches', ops: 'sa sb sc', evicts: ['a', 'b', 'c'] },
    { name: 'a re-set moves the key to most recent', ops: 'sa sb sa', evicts: ['b', 'a'] },
    { name: 'get of an unknown key inserts nothing', ops: 'sa gx', evicts: ['a'] },
    { name: 'delete removes the key from the order', ops: 'sa sb sc db', evicts: ['a', 'c'] },
    { name: 'repeated gets of the head keep the order', ops: 'sa sb gb gb', evicts: ['a', 'b'] },
  ])('$name', ({ ops, evicts }) => {
    const sut = new LruEviction();
    for (const op of ops.split(' ')) {
      const key = op.slice(1);
      if (op[0] === 's') sut.set(key);
      else if (op[0] === 'g') sut.get(key);
      else sut.delete(key);
    }
    expect(Array.from({ length: evicts.length + 1 }, () => sut.evict())).toEqual([...evicts, undefined]);
  });

  it('never drops a key on insert, whatever the capacity hint', () => {
    const sut = new LruEviction({ capacity: 2 });
    for (const k of ['a', 'b', 'c', 'd']) sut.set(k);
    expect(sut.length).toBe(4);
    expect(sut.get('a')).toBe(true);
  });

  it('returns undefined from evict and false from delete/get when empty', () => {
    const sut = new LruEviction();
    expect(sut.evict()).toBeUndefined();
    expect(sut.delete('x')).toBe(false);
    expect(sut.get('x')).toBe(false);
    expect(sut.length).toBe(0);
  });

  it('makes get miss after delete', () => {
    const sut = new LruEviction();
    sut.set('a');
    expect(sut.delete('a')).toBe(true);
    expect(sut.get('a')).toBe(false);
  });

  it('grows past its preallocation and keeps the order', () => {
    const sut = new LruEviction({ capacity: 1 });
    const n = 10_000;
    for (let i = 0; i < n; i++) sut.set(`k${i}`);
    for (let i = 0; i < n; i += 2) sut.get(`k${i}`);
    const drained: string[] = [];
    for (let k = sut.evict(); k !== undefined; k = sut.evict()) drained.push(k);
    const odd = Array.from({ length: n / 2 }, (_, i) => `k${2 * i + 1}`);
    const even = Array.from({ length: n / 2 }, (_, i) => `k${2 * i}`);
    expect(drained).toEqual([...odd, ...even]);
  });

  it('reuses freed slots and forgets everything on clear', () => {
    const sut = new LruEviction();
    sut.set('a');
    sut.set('b');
    sut.clear();
    expect(sut.length).toBe(0);
    expect(sut.evict()).toBeUndefined();
    sut.set('c');
    expect(sut.get('a')).toBe(false);
    expect(sut.evict()).toBe('c');
  });

  it('tracks non-string keys', () => {
    const sut = new LruEviction<number>();
    sut.set(1);
    sut.set(2);
    sut.get(1);
    expect(sut.evict()).toBe(2);
  });

  it('is named lru', () => {
    expect(new LruEviction().name).toBe('lru');
  });

  it.each([
    [-1, EVICTION_ERROR_CODES.negativeCapacity],
    [1.5, EVICTION_ERROR_CODES.invalidCapacity],
    [Number.NaN, EVICTION_ERROR_CODES.invalidCapacity],
  ])('rejects capacity %p with code %s', (capacity, code) => {
    expect(() => new LruEviction({ capacity })).toThrow(expect.objectContaining({ code }));
  });

  it('uses the upstream message for a negative capacity', () => {
    expect(() => new LruEviction({ capacity: -1 })).toThrow('capacity cannot be negative');
  });
});
