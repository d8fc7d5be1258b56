import fc from 'fast-check';
import { HashRing } from './hash-ring';
import { loadXxhash64, type Xxhash64 } from '@hypercache/hashing';

/** Naive model of §3 Lookup: linear scan for the first vnode ≥ h, then walk collecting distinct IDs. */
function modelOwners(ring: HashRing, hash: bigint): string[] {
  const vnodes = ring.vnodes();
  if (vnodes.length === 0) return [];
  let start = vnodes.findIndex((v) => v.hash >= hash);
  if (start < 0) start = 0;
  const out: string[] = [];
  for (let step = 0; step < vnodes.length && out.length < ring.replication; step++) {
    const id = vnodes[(start + step) % vnodes.length].nodeId;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

const memberIds = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 8 });
const ringOptions = fc.record({ virtualNodes: fc.integer({ min: 1, max: 24 }), replication: fc.integer({ min: 1, max: 6 }) });
const keys = fc.array(fc.string({ maxLength: 24 }), { minLength: 1, maxLength: 20 });

const SAMPLE_KEYS = Array.from({ length: 20_000 }, (_, i) => `sample-key-${i}`);

function primaries(ring: HashRing, sample: readonly string[]): string[] {
  return sample.map((k) => ring.ownersOf(k)[0]);
}

describe(`${HashRing.name} properties`, () => {
  let hasher: Xxhash64;
  beforeAll(async () => {
    hasher = await loadXxhash64();
  });

  it('returns min(RF, N) distinct owners, equal to the naive §3 walk', () => {
    fc.assert(
      fc.property(memberIds, ringOptions, keys, (ids, options, ks) => {
        const ring = new HashRing(hasher, ids, options);
        for (const k of ks) {
          const owners = ring.ownersOf(k);
          expect(new Set(owners).size).toBe(owners.length);
          expect(owners).toHaveLength(Math.min(options.replication, ids.length));
          expect(owners).toEqual(modelOwners(ring, hasher.hashString(k)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('makes owners[0] the node of the first vnode with hash ≥ XXH64(key), wrapping', () => {
    fc.assert(
      fc.property(memberIds, ringOptions, fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (ids, options, h) => {
        const ring = new HashRing(hasher, ids, options);
        const vnodes = ring.vnodes();
        const first = vnodes.find((v) => v.hash >= h) ?? vnodes[0];
        expect(ring.ownersOfHash(h)[0]).toBe(first.nodeId);
      }),
      { numRuns: 300 },
    );
  });

  it('moves primaries only to a joining node', () => {
    fc.assert(
      fc.property(memberIds, fc.string({ minLength: 1, maxLength: 12 }), keys, (ids, joiner, ks) => {
        fc.pre(!ids.includes(joiner));
        const before = new HashRing(hasher, ids, { virtualNodes: 16 });
        const after = before.withMembers([...ids, joiner]);
        for (const k of ks) {
          const was = before.ownersOf(k)[0];
          const now = after.ownersOf(k)[0];
          expect(now === was || now === joiner).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('changes only owner lists that contained a leaving node, keeping the others in order', () => {
    fc.assert(
      fc.property(
        memberIds.filter((ids) => ids.length >= 2),
        fc.nat(),
        fc.integer({ min: 1, max: 4 }),
        keys,
        (ids, pick, replication, ks) => {
          const leaver = ids[pick % ids.length];
          const before = new HashRing(hasher, ids, { virtualNodes: 16, replication });
          const after = before.withMembers(ids.filter((id) => id !== leaver));
          for (const k of ks) {
            const was = before.ownersOf(k);
            const now = after.ownersOf(k);
            if (!was.includes(leaver)) {
              expect(now).toEqual(was);
            } else {
              const survivors = was.filter((id) => id !== leaver);
              expect(now.slice(0, survivors.length)).toEqual(survivors);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([3, 5, 8])('moves about 1/(N+1) of 20 000 primaries when a node joins %i nodes', (n) => {
    const ids = Array.from({ length: n }, (_, i) => `node-${i + 1}`);
    const before = new HashRing(hasher, ids);
    const after = before.withMembers([...ids, `node-${n + 1}`]);
    const was = primaries(before, SAMPLE_KEYS);
    const now = primaries(after, SAMPLE_KEYS);
    let moved = 0;
    for (let i = 0; i < was.length; i++) if (was[i] !== now[i]) moved++;
    // 64 vnodes per node leave a few percent of spread around the ideal share.
    expect(Math.abs(moved / SAMPLE_KEYS.length - 1 / (n + 1))).toBeLessThan(0.06);
  });

  it('spreads 20 000 primaries roughly evenly over 5 nodes', () => {
    const ring = new HashRing(hasher, ['node-1', 'node-2', 'node-3', 'node-4', 'node-5']);
    const counts = new Map<string, number>();
    for (const p of primaries(ring, SAMPLE_KEYS)) counts.set(p, (counts.get(p) ?? 0) + 1);
    for (const c of counts.values()) expect(Math.abs(c / SAMPLE_KEYS.length - 0.2)).toBeLessThan(0.08);
  });
});
