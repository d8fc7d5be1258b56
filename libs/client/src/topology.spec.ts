import fc from 'fast-check';
import { HashRing } from '@hypercache/membership';
import { loadXxhash64, type Xxhash64 } from '@hypercache/hashing';
import { RingView, parseTopology, type Topology } from './topology';

function topologyOf(ring: HashRing): Topology {
  return {
    node: ring.members[0] ?? 'n',
    ringVersion: 'v1',
    replication: ring.replication,
    virtualNodesPerNode: ring.virtualNodes,
    members: ring.members.map((id) => ({ id, state: 'alive' as const, incarnation: 0, apiUrl: `http://127.0.0.1:1/${id}`, owner: true })),
    ring: ring.vnodes().map((v) => ({ hash: v.hash.toString(10), node: v.nodeId })),
  };
}

describe(RingView.name, () => {
  let hasher: Xxhash64;
  beforeAll(async () => {
    hasher = await loadXxhash64();
  });

  it('computes the same owners as the server HashRing from the topology wire form (property)', () => {
    const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 7 });
    const opts = fc.record({ virtualNodes: fc.integer({ min: 1, max: 32 }), replication: fc.integer({ min: 1, max: 5 }) });
    const keys = fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(ids, opts, keys, (members, o, ks) => {
        const ring = new HashRing(hasher, members, o);
        const wire = parseTopology(JSON.parse(JSON.stringify(topologyOf(ring))), 'test');
        const view = new RingView(wire);
        for (const k of ks) expect(view.ownersOfHash(hasher.hashString(k))).toEqual(ring.ownersOf(k));
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with the server ring on many keys of a 5-node RF3 ring with 64 vnodes each', () => {
    const ring = new HashRing(hasher, ['node-1', 'node-2', 'node-3', 'node-4', 'node-5'], { virtualNodes: 64, replication: 3 });
    const view = new RingView(topologyOf(ring));
    for (let i = 0; i < 2_000; i++) expect(view.ownersOfHash(hasher.hashString(`key-${i}`))).toEqual(ring.ownersOf(`key-${i}`));
  });

  it('answers no owners for an empty ring and rejects an unsorted one', () => {
    const empty: Topology = { node: 'a', ringVersion: '0', replication: 3, virtualNodesPerNode: 64, members: [], ring: [] };
    expect(new RingView(empty).ownersOfHash(5n)).toEqual([]);
    const unsorted = { ...empty, ring: [{ hash: '9', node: 'a' }, { hash: '3', node: 'b' }] };
    expect(() => new RingView(unsorted)).toThrow(expect.objectContaining({ code: 'PROTOCOL' }));
  });

  it('rejects a topology without ringVersion or with a non-decimal hash, naming the field', () => {
    expect(() => parseTopology({ replication: 3, members: [], ring: [] }, 'x')).toThrow(/ringVersion/);
    expect(() => parseTopology({ ringVersion: '1', replication: 3, members: [], ring: [{ hash: '0x1f', node: 'a' }] }, 'x')).toThrow(/ring\[\]/);
  });
});
