import { HashRing } from './hash-ring';
import { MembershipTable } from './membership-table';
import { RingTopology } from './ring-topology';
import type { KeyOwnership } from './key-ownership';
import { loadXxhash64, type Xxhash64 } from '@hypercache/hashing';

describe(RingTopology.name, () => {
  let hasher: Xxhash64;
  beforeAll(async () => {
    hasher = await loadXxhash64();
  });

  function cluster() {
    const table = new MembershipTable({
      self: { id: 'node-1', address: 'h1:7946' },
      seeds: ['node-2', 'node-3', 'node-4', 'node-5'].map((id) => ({ id, address: `${id}:7946` })),
      now: () => 0,
    });
    const sut = new RingTopology('node-1', new HashRing(hasher, [], { replication: 3 }));
    const stop = sut.follow(table);
    return { table, sut, stop };
  }

  it('implements KeyOwnership with the §3 golden owners once it follows the table', () => {
    const { sut } = cluster();
    const ownership: KeyOwnership = sut;
    expect(ownership.nodeId).toBe('node-1');
    expect(ownership.ownersOf('greeting')).toEqual(['node-5', 'node-4', 'node-1']);
    expect(sut.isOwner('greeting')).toBe(true);
    expect(sut.isOwner('user:42')).toBe(false);
  });

  it('drops dead members from the ring and keeps suspect ones (§3)', () => {
    const { table, sut } = cluster();
    const first = sut.ring;
    table.markSuspect('node-5');
    expect(sut.ring).toBe(first);
    table.markDead('node-5');
    expect(sut.ring.members).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    const expected = new HashRing(hasher, ['node-1', 'node-2', 'node-3', 'node-4'], { replication: 3 }).ownersOf('greeting');
    expect(sut.ownersOf('greeting')).toEqual(expected);
    // Golden owners were node-5, node-4, node-1: the survivors keep their order.
    expect(expected.slice(0, 2)).toEqual(['node-4', 'node-1']);
    table.merge({ id: 'node-5', address: 'node-5:7946', state: 'alive', incarnation: 9 });
    expect(sut.ring.members).toHaveLength(5);
  });

  it('stops following after unsubscribe', () => {
    const { table, sut, stop } = cluster();
    stop();
    table.remove('node-2');
    expect(sut.ring.members).toContain('node-2');
  });

  it('swaps rings on replaceRing', () => {
    const { sut } = cluster();
    const ring = new HashRing(hasher, ['node-1']);
    sut.replaceRing(ring);
    expect(sut.ring).toBe(ring);
    expect(sut.ownersOf('anything')).toEqual(['node-1']);
  });
});
