import fc from 'fast-check';
import { LfuEviction } from './lfu-eviction';

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

/** Reference model straight from spec §3: `count` and a `last` sequence stamp per entry. */
class LfuModel {
  readonly entries = new Map<string, { count: number; last: number }>();
  #seq = 0;
  set(key: string): void {
    const e = this.entries.get(key);
    if (e) {
      e.count++;
      e.last = ++this.#seq;
    } else {
      this.entries.set(key, { count: 1, last: ++this.#seq });
    }
  }
  get(key: string): boolean {
    if (!this.entries.has(key)) return false;
    this.set(key);
    return true;
  }
  delete(key: string): boolean {
    return this.entries.delete(key);
  }
  evict(): string | undefined {
    let victim: string | undefined;
    let best = { count: Infinity, last: Infinity };
    for (const [key, e] of this.entries) {
      if (e.count < best.count || (e.count === best.count && e.last < best.last)) {
        victim = key;
        best = e;
      }
    }
    if (victim !== undefined) this.entries.delete(victim);
    return victim;
  }
}

function apply(sut: LfuEviction, script: string): void {
  for (const op of script.split(' ')) {
    if (op[0] === 's') sut.set(op.slice(1));
    else if (op[0] === 'g') sut.get(op.slice(1));
    else if (op[0] === 'd') sut.delete(op.slice(1));
  }
}

describe(LfuEviction.name, () => {
  it('evicts the least frequent key, least recent first on ties, like the model', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const sut = new LfuEviction();
        const model = new LfuModel();
        for (const op of ops) {
          if (op.kind === 'evict') expect(sut.evict()).toBe(model.evict());
          else if (op.kind === 'set') {
            sut.set(op.key);
            model.set(op.key);
          } else expect(sut[op.kind](op.key)).toBe(model[op.kind](op.key));
          expect(sut.length).toBe(model.entries.size);
        }
        for (let k = model.evict(); k !== undefined; k = model.evict()) expect(sut.evict()).toBe(k);
        expect(sut.evict()).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    { name: 'equal counts: oldest insertion first (upstream test)', script: 'sa sb', evicts: ['a', 'b'] },
    { name: 'equal counts after access: least recent first (upstream test)', script: 'sa sb gb ga', evicts: ['b', 'a'] },
    { name: 'accessing the oldest makes the next-oldest the victim', script: 'sa sb sc ga', evicts: ['b', 'c', 'a'] },
    { name: 'contract: set a, b, get a, set c → b', script: 'sa sb ga sc', evicts: ['b', 'c', 'a'] },
    { name: 'a re-set counts as an access', script: 'sa sb sa', evicts: ['b', 'a'] },
    { name: 'frequency beats recency', script: 'sa ga ga sb gb sc', evicts: ['c', 'b', 'a'] },
    { name: 'a deleted key is forgotten with its count', script: 'sa ga ga da sa sb', evicts: ['a', 'b'] },
    { name: 'sole entry bumped in place keeps order', script: 'sa sb gb gb sc gc', evicts: ['a', 'c', 'b'] },
    { name: 'entries merge into an existing count bucket', script: 'sa sb ga gb sc gc', evicts: ['a', 'b', 'c'] },
  ])('$name', ({ script, evicts }) => {
    const sut = new LfuEviction();
    apply(sut, script);
    expect(Array.from({ length: evicts.length + 1 }, () => sut.evict())).toEqual([...evicts, undefined]);
  });

  it('keeps counts exact for a very hot key', () => {
    const sut = new LfuEviction();
    sut.set('hot');
    for (let i = 0; i < 100_000; i++) sut.get('hot');
    sut.set('cold');
    for (let i = 0; i < 99_999; i++) sut.get('cold');
    expect(sut.evict()).toBe('cold');
  });

  it('orders many distinct counts (bucket growth)', () => {
    const sut = new LfuEviction();
    const n = 200;
    for (let i = n - 1; i >= 0; i--) {
      sut.set(`k${i}`);
      for (let j = 0; j < i; j++) sut.get(`k${i}`);
    }
    expect(Array.from({ length: n }, () => sut.evict())).toEqual(Array.from({ length: n }, (_, i) => `k${i}`));
  });

  it('grows past its preallocation', () => {
    const sut = new LfuEviction({ capacity: 1 });
    for (let i = 0; i < 5000; i++) {
      sut.set(`k${i}`);
      for (let j = 0; j < i % 7; j++) sut.get(`k${i}`);
    }
    expect(sut.length).toBe(5000);
    const first = sut.evict();
    expect(first).toBe('k0');
  });

  it('returns undefined from evict, false from get/delete of unknown keys', () => {
    const sut = new LfuEviction();
    expect(sut.evict()).toBeUndefined();
    expect(sut.get('x')).toBe(false);
    expect(sut.delete('x')).toBe(false);
    sut.set('a');
    sut.clear();
    expect(sut.length).toBe(0);
    expect(sut.evict()).toBeUndefined();
    expect(sut.name).toBe('lfu');
  });
});
