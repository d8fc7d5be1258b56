import fc from 'fast-check';
import { ArcEviction } from './arc-eviction';
import { EVICTION_ERROR_CODES } from './errors';

type Op = { kind: 'set' | 'get' | 'delete'; key: string } | { kind: 'evict' };

/** Operations over `keys` key names (small spaces make ghost hits and full directories common). */
function opsArb(keys: number): fc.Arbitrary<Op[]> {
  const keyArb = fc.integer({ min: 0, max: keys - 1 }).map((i) => `k${i}`);
  const opArb = fc.oneof(
    { weight: 5, arbitrary: keyArb.map((key): Op => ({ kind: 'set', key })) },
    { weight: 3, arbitrary: keyArb.map((key): Op => ({ kind: 'get', key })) },
    { weight: 1, arbitrary: keyArb.map((key): Op => ({ kind: 'delete', key })) },
    { weight: 2, arbitrary: fc.constant<Op>({ kind: 'evict' }) },
  );
  return fc.array(opArb, { maxLength: 300 });
}

/** Capacity c with operations over 2c + 2 keys or over a wider space of 15 keys. */
const caseArb = fc
  .integer({ min: 1, max: 6 })
  .chain((c) => fc.tuple(fc.constant(c), fc.oneof(opsArb(2 * c + 2), opsArb(15))));

/**
 * Array model of ARC as spec'd in eviction.md §6 plus the recorded TS rules: demotions caused by
 * `set` become pending victims returned first by `evict`; ghost bounds |T1|+|B1| ≤ c and
 * directory ≤ 2c; ghost hits `replace` only when residents are full; `replace` falls back to the
 * non-empty list. Lists are most recent first.
 */
class ArcModel {
  p = 0;
  t1: string[] = [];
  t2: string[] = [];
  b1: string[] = [];
  b2: string[] = [];
  pending: string[] = [];
  constructor(readonly c: number) {}

  get length(): number {
    return this.t1.length + this.t2.length + this.pending.length;
  }
  set(k: string): void {
    const c = this.c;
    if (this.t1.includes(k) || this.t2.includes(k)) {
      this.#remove(k, this.t1, this.t2);
      this.t2.unshift(k);
      return;
    }
    this.#remove(k, this.pending);
    const full = this.t1.length + this.t2.length >= c;
    if (this.b1.includes(k)) {
      this.p = Math.min(c, this.p + Math.max(1, Math.floor(this.b2.length / Math.max(1, this.b1.length))));
      if (full) this.pending.push(this.#replace(false));
      this.#remove(k, this.b1);
      this.t2.unshift(k);
    } else if (this.b2.includes(k)) {
      this.p = Math.max(0, this.p - Math.max(1, Math.floor(this.b1.length / Math.max(1, this.b2.length))));
      if (full) this.pending.push(this.#replace(true));
      this.#remove(k, this.b2);
      this.t2.unshift(k);
    } else {
      if (full) {
        if (this.t1.length + this.b1.length >= c) {
          if (this.t1.length < c) {
            this.b1.pop();
            this.pending.push(this.#replace(false));
          } else {
            const v = this.t1.pop() as string;
            this.b1.unshift(v);
            this.pending.push(v);
          }
        } else {
          if (this.#directory() >= 2 * c) this.b2.pop();
          this.pending.push(this.#replace(false));
        }
      }
      this.t1.unshift(k);
    }
    this.#bound();
  }
  get(k: string): boolean {
    if (this.t1.includes(k) || this.t2.includes(k)) {
      this.#remove(k, this.t1, this.t2);
      this.t2.unshift(k);
      return true;
    }
    return this.pending.includes(k);
  }
  delete(k: string): boolean {
    const tracked = this.t1.includes(k) || this.t2.includes(k) || this.pending.includes(k);
    this.#remove(k, this.t1, this.t2, this.b1, this.b2, this.pending);
    return tracked;
  }
  evict(): string | undefined {
    if (this.pending.length > 0) return this.pending.shift();
    if (this.t1.length + this.t2.length === 0) return undefined;
    return this.#replace(false);
  }
  #replace(inB2: boolean): string {
    const t1 = this.t1.length;
    const fromT1 = t1 > 0 && ((inB2 && t1 === this.p) || t1 > this.p || this.t2.length === 0);
    const k = (fromT1 ? this.t1 : this.t2).pop() as string;
    (fromT1 ? this.b1 : this.b2).unshift(k);
    return k;
  }
  #bound(): void {
    while (this.t1.length + this.b1.length > this.c && this.b1.length > 0) this.b1.pop();
    while (this.#directory() > 2 * this.c) {
      if (this.b2.length > 0) this.b2.pop();
      else if (this.b1.length > 0) this.b1.pop();
      else break;
    }
  }
  #directory(): number {
    return this.t1.length + this.t2.length + this.b1.length + this.b2.length;
  }
  #remove(k: string, ...lists: string[][]): void {
    for (const l of lists) {
      const i = l.indexOf(k);
      if (i >= 0) l.splice(i, 1);
    }
  }
}

function expectInvariants(sut: ArcEviction): void {
  const s = sut.snapshot();
  const c = sut.capacity;
  expect(s.t1.length + s.t2.length).toBeLessThanOrEqual(c);
  expect(s.t1.length + s.b1.length).toBeLessThanOrEqual(c);
  expect(s.t1.length + s.t2.length + s.b1.length + s.b2.length).toBeLessThanOrEqual(2 * c);
  expect(s.p).toBeGreaterThanOrEqual(0);
  expect(s.p).toBeLessThanOrEqual(c);
  expect(sut.length).toBe(s.t1.length + s.t2.length + s.pending.length);
  const lists = [...s.t1, ...s.t2, ...s.b1, ...s.b2];
  expect(new Set(lists).size).toBe(lists.length);
}

function run(c: number, script: string): ArcEviction {
  const sut = new ArcEviction({ capacity: c });
  for (const op of script.split(' ').filter(Boolean)) {
    if (op === 'e') sut.evict();
    else if (op[0] === 's') sut.set(op.slice(1));
    else if (op[0] === 'g') sut.get(op.slice(1));
    else sut.delete(op.slice(1));
  }
  return sut;
}

describe(ArcEviction.name, () => {
  it('matches the ARC model and keeps |T1|+|T2| ≤ c and the ghost bounds for any sequence', () => {
    fc.assert(
      fc.property(caseArb, ([c, ops]) => {
        const sut = new ArcEviction({ capacity: c });
        const model = new ArcModel(c);
        for (const op of ops) {
          if (op.kind === 'evict') expect(sut.evict()).toBe(model.evict());
          else if (op.kind === 'set') {
            sut.set(op.key);
            model.set(op.key);
          } else expect(sut[op.kind](op.key)).toBe(model[op.kind](op.key));
          expect(sut.length).toBe(model.length);
          const { p, t1, t2, b1, b2, pending } = model;
          expect(sut.snapshot()).toEqual({ p, t1, t2, b1, b2, pending });
          expectInvariants(sut);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('under the engine protocol (evict while length > c) tracks at most c keys and evicts every key once', () => {
    fc.assert(
      fc.property(caseArb, ([c, ops]) => {
        const sut = new ArcEviction({ capacity: c });
        const store = new Set<string>();
        for (const op of ops) {
          if (op.kind === 'set') {
            sut.set(op.key);
            store.add(op.key);
            while (sut.length > c) {
              const victim = sut.evict() as string;
              expect(store.delete(victim)).toBe(true);
            }
          } else if (op.kind === 'get') {
            expect(sut.get(op.key)).toBe(store.has(op.key));
          } else if (op.kind === 'delete') {
            expect(sut.delete(op.key)).toBe(store.delete(op.key));
          } else {
            const victim = sut.evict();
            expect(victim === undefined ? store.size === 0 : store.delete(victim)).toBe(true);
          }
          expect(sut.length).toBe(store.size);
          expectInvariants(sut);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    {
      name: 'contract: set a, b, get a, set c → b is the pending victim',
      c: 2,
      script: 'sa sb ga sc',
      expected: { p: 0, t1: ['c'], t2: ['a'], b1: ['b'], b2: [], pending: ['b'] },
    },
    {
      name: 'a get moves a T1 key to T2',
      c: 4,
      script: 'sa sb ga',
      expected: { p: 0, t1: ['b'], t2: ['a'], b1: [], b2: [], pending: [] },
    },
    {
      name: 'evict demotes T1 LRU to B1 when |T1| > p',
      c: 2,
      script: 'sa sb e',
      expected: { p: 0, t1: ['b'], t2: [], b1: ['a'], b2: [], pending: [] },
    },
    {
      name: 'a B1 ghost hit on set raises p and places the key in T2 (acceptance 87)',
      c: 2,
      script: 'sa sb e sa',
      expected: { p: 1, t1: ['b'], t2: ['a'], b1: [], b2: [], pending: [] },
    },
    {
      name: 'a B1 ghost hit with full residents replaces from T1',
      c: 3,
      script: 'sa sb sc ga sd e sb',
      expected: { p: 1, t1: ['d'], t2: ['b', 'a'], b1: ['c'], b2: [], pending: ['c'] },
    },
    {
      name: 'evict demotes T2 LRU to B2 when |T1| ≤ p; a B2 ghost hit lowers p',
      c: 2,
      script: 'sa sb e sa e sa',
      expected: { p: 0, t1: ['b'], t2: ['a'], b1: [], b2: [], pending: [] },
    },
    {
      name: 'a new key with T1 full of c keys demotes T1 LRU without keeping a ghost over the bound',
      c: 2,
      script: 'sa sb sc',
      expected: { p: 0, t1: ['c', 'b'], t2: [], b1: [], b2: [], pending: ['a'] },
    },
    {
      name: 'a new key with residents full and a directory of 2c drops the B2 LRU, then replaces',
      c: 2,
      script: 'sa ga sb gb e sc gc e sd gd se',
      expected: { p: 0, t1: ['e'], t2: ['d'], b1: [], b2: ['c', 'b'], pending: ['c'] },
    },
    {
      name: 'B2 stays bounded when residents are evicted below c and refilled (TS bound)',
      c: 1,
      script: 'sa ga e sb gb e sc',
      expected: { p: 0, t1: ['c'], t2: [], b1: [], b2: ['b'], pending: [] },
    },
    {
      name: 'delete forgets ghosts too',
      c: 2,
      script: 'sa sb e da sa',
      expected: { p: 0, t1: ['a', 'b'], t2: [], b1: [], b2: [], pending: [] },
    },
  ])('$name', ({ c, script, expected }) => {
    expect(run(c, script).snapshot()).toEqual(expected);
  });

  it('returns pending victims first, oldest first, then demotes residents', () => {
    const sut = run(1, 'sa sb sc');
    expect(sut.length).toBe(3);
    expect([sut.evict(), sut.evict(), sut.evict(), sut.evict()]).toEqual(['a', 'b', 'c', undefined]);
  });

  it('counts a pending victim as tracked but does not promote it on get', () => {
    const sut = run(1, 'sa sb');
    expect(sut.get('a')).toBe(true);
    expect(sut.evict()).toBe('a');
    expect(sut.get('a')).toBe(false);
  });

  it('reports a ghost-only key as untracked', () => {
    const sut = run(2, 'sa sb e');
    expect(sut.get('a')).toBe(false);
    expect(sut.delete('a')).toBe(false);
    expect(sut.length).toBe(1);
  });

  it('clear forgets residents, ghosts, pending victims and p', () => {
    const sut = run(2, 'sa sb e sa sc');
    sut.clear();
    expect(sut.snapshot()).toEqual({ p: 0, t1: [], t2: [], b1: [], b2: [], pending: [] });
    expect(sut.evict()).toBeUndefined();
  });

  it('grows its slot arrays for large capacities and long pending queues', () => {
    const sut = new ArcEviction({ capacity: 100 });
    for (let i = 0; i < 5000; i++) sut.set(`k${i}`);
    expect(sut.length).toBe(5000);
    let n = 0;
    while (sut.length > 100) {
      expect(sut.evict()).toBe(`k${n}`);
      n++;
    }
    expectInvariants(sut);
  });

  it.each([
    [0, EVICTION_ERROR_CODES.invalidCapacity],
    [-1, EVICTION_ERROR_CODES.negativeCapacity],
    [2.5, EVICTION_ERROR_CODES.invalidCapacity],
  ])('rejects capacity %p with code %s', (capacity, code) => {
    expect(() => new ArcEviction({ capacity })).toThrow(expect.objectContaining({ code }));
  });

  it('is named arc', () => {
    expect(new ArcEviction({ capacity: 1 }).name).toBe('arc');
  });
});
