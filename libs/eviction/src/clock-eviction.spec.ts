import fc from 'fast-check';
import { ClockEviction } from './clock-eviction';
import { EVICTION_ERROR_CODES } from './errors';

type Op = { kind: 'set' | 'get' | 'delete'; key: string } | { kind: 'evict' };

const keyArb = fc.integer({ min: 0, max: 40 }).map((i) => `k${i}`);
const opsArb = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: keyArb.map((key): Op => ({ kind: 'set', key })) },
    { weight: 4, arbitrary: keyArb.map((key): Op => ({ kind: 'get', key })) },
    { weight: 1, arbitrary: keyArb.map((key): Op => ({ kind: 'delete', key })) },
    { weight: 2, arbitrary: fc.constant<Op>({ kind: 'evict' }) },
  ),
  { maxLength: 300 },
);

/** Reference model: an array ring and a hand index; new entries go just behind the hand. */
class ClockModel {
  readonly ring: { key: string; count: number }[] = [];
  hand = 0;
  constructor(readonly max: number) {}
  set(key: string): void {
    const e = this.ring.find((x) => x.key === key);
    if (e) {
      e.count = Math.min(this.max, e.count + 1);
      return;
    }
    this.ring.splice(this.hand, 0, { key, count: 0 });
    if (this.ring.length > 1) this.hand++;
  }
  get(key: string): boolean {
    if (!this.ring.some((x) => x.key === key)) return false;
    this.set(key);
    return true;
  }
  delete(key: string): boolean {
    const i = this.ring.findIndex((x) => x.key === key);
    if (i < 0) return false;
    this.#removeAt(i);
    return true;
  }
  evict(): string | undefined {
    if (this.ring.length === 0) return undefined;
    for (;;) {
      const e = this.ring[this.hand];
      if (e.count === 0) {
        this.#removeAt(this.hand);
        return e.key;
      }
      e.count--;
      this.hand = (this.hand + 1) % this.ring.length;
    }
  }
  #removeAt(i: number): void {
    this.ring.splice(i, 1);
    if (i < this.hand) this.hand--;
    if (this.hand >= this.ring.length) this.hand = 0;
  }
}

describe(ClockEviction.name, () => {
  it.each([1, 3])('matches the ring model for any operation sequence (maxAccessCount %i)', (max) => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const sut = new ClockEviction({ maxAccessCount: max });
        const model = new ClockModel(max);
        for (const op of ops) {
          if (op.kind === 'evict') expect(sut.evict()).toBe(model.evict());
          else if (op.kind === 'set') {
            sut.set(op.key);
            model.set(op.key);
          } else expect(sut[op.kind](op.key)).toBe(model[op.kind](op.key));
          expect(sut.length).toBe(model.ring.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives a referenced entry exactly one second chance: unreferenced keys go first, then referenced, each in ring order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.nat(59), { maxLength: 120 }),
        (n, touches) => {
          const sut = new ClockEviction();
          const keys = Array.from({ length: n }, (_, i) => `k${i}`);
          for (const k of keys) sut.set(k);
          const referenced = new Set(touches.filter((i) => i < n).map((i) => keys[i]));
          for (const i of touches) if (i < n) sut.get(keys[i]);
          const drained = keys.map(() => sut.evict());
          expect(drained).toEqual([...keys.filter((k) => !referenced.has(k)), ...keys.filter((k) => referenced.has(k))]);
          expect(sut.evict()).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    { name: 'upstream: set a, set b, get a → evict b, then a', script: 'sa sb ga', evicts: ['b', 'a'] },
    { name: 'contract: set a, b, get a, set c → b first', script: 'sa sb ga sc', evicts: ['b', 'c', 'a'] },
    { name: 'a write to a known key is a reference', script: 'sa sb sa', evicts: ['b', 'a'] },
    { name: 'the hand resumes after the last victim', script: 'sa sb sc gb', evicts: ['a', 'c', 'b'] },
    { name: 'a new key is the last one the hand reaches', script: 'sa sb ga sc', evicts: ['b', 'c', 'a'] },
    { name: 'deleting the key under the hand moves the hand on', script: 'sa sb sc da', evicts: ['b', 'c'] },
    { name: 'all referenced: one full lap clears, then ring order', script: 'sa sb sc ga gb gc', evicts: ['a', 'b', 'c'] },
  ])('$name', ({ script, evicts }) => {
    const sut = new ClockEviction();
    for (const op of script.split(' ')) {
      if (op[0] === 's') sut.set(op.slice(1));
      else if (op[0] === 'g') sut.get(op.slice(1));
      else sut.delete(op.slice(1));
    }
    expect(Array.from({ length: evicts.length + 1 }, () => sut.evict())).toEqual([...evicts, undefined]);
  });

  it.each([
    { maxAccessCount: 1, survives: 1 },
    { maxAccessCount: 3, survives: 3 },
    { maxAccessCount: 10, survives: 3 },
  ])('an entry accessed 3 times survives min(3, maxAccessCount) sweeps (maxAccessCount $maxAccessCount)', ({ maxAccessCount, survives }) => {
    const sut = new ClockEviction({ maxAccessCount });
    sut.set('hot');
    for (let i = 0; i < 3; i++) sut.get('hot');
    let sweeps = 0;
    for (let i = 0; ; i++) {
      sut.set(`cold${i}`);
      if (sut.evict() === 'hot') break;
      sweeps++;
    }
    expect(sweeps).toBe(survives);
  });

  it('saturates the counter at maxAccessCount', () => {
    const sut = new ClockEviction();
    sut.set('a');
    for (let i = 0; i < 5; i++) sut.get('a');
    sut.set('b');
    sut.set('c');
    expect([sut.evict(), sut.evict(), sut.evict()]).toEqual(['b', 'c', 'a']);
  });

  it('grows past its preallocation instead of refusing new keys', () => {
    const sut = new ClockEviction({ capacity: 2 });
    for (let i = 0; i < 1000; i++) sut.set(`k${i}`);
    expect(sut.length).toBe(1000);
    expect(sut.evict()).toBe('k0');
  });

  it('returns undefined from evict and false from get/delete of unknown keys; clear forgets all', () => {
    const sut = new ClockEviction();
    expect(sut.evict()).toBeUndefined();
    expect(sut.get('x')).toBe(false);
    expect(sut.delete('x')).toBe(false);
    sut.set('a');
    sut.clear();
    expect(sut.length).toBe(0);
    expect(sut.evict()).toBeUndefined();
    expect(sut.name).toBe('clock');
  });

  it.each([0, -1, 1.5, 2 ** 31])('rejects maxAccessCount %p by naming the option', (maxAccessCount) => {
    expect(() => new ClockEviction({ maxAccessCount })).toThrow(
      expect.objectContaining({ code: EVICTION_ERROR_CODES.invalidOption, message: expect.stringContaining('maxAccessCount') }),
    );
  });
});
