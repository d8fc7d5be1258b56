import { loadXxhash64, type Xxhash64 } from '@hypercache/hashing';
import { HashRing, MembershipTable, RingTopology } from '@hypercache/membership';
import { ringVersionOf, TopologyReporter } from './topology-view';

describe(TopologyReporter.name, () => {
  let hasher: Xxhash64;
  beforeAll(async () => {
    hasher = await loadXxhash64();
  });

  const ring = (ids: string[], o = { virtualNodes: 8, replication: 2 }) => new HashRing(hasher, ids, o);

  it('gives rings with the same members and settings the same version, whatever the order, and any other ring another', () => {
    const v = ringVersionOf(hasher, ring(['a', 'b', 'c']));
    expect(ringVersionOf(hasher, ring(['c', 'a', 'b']))).toBe(v);
    const others = [ring(['a', 'b']), ring(['a', 'b', 'c', 'd']), ring(['a', 'b', 'x']), ring(['a', 'b', 'c'], { virtualNodes: 9, replication: 2 }), ring(['a', 'b', 'c'], { virtualNodes: 8, replication: 3 })];
    expect(new Set([v, ...others.map((r) => ringVersionOf(hasher, r))]).size).toBe(6);
  });

  it('reports members (dead ones off the ring, URLs or null) and exactly the ring points, following membership changes', () => {
    const membership = new MembershipTable({ self: { id: 'a', address: 'a:1' }, seeds: [{ id: 'b', address: 'b:1' }, { id: 'c', address: 'c:1' }], now: () => 0 });
    membership.setLocalApiUrl('http://a:8080');
    const topology = new RingTopology('a', ring(membership.ringMembers()));
    topology.follow(membership);
    const sut = new TopologyReporter({ membership, topology, hasher });
    const first = sut.view();
    expect(first).toMatchObject({ node: 'a', replication: 2, virtualNodesPerNode: 8 });
    expect(first.members.map((m) => [m.id, m.state, m.owner, m.apiUrl])).toEqual([
      ['a', 'alive', true, 'http://a:8080'],
      ['b', 'alive', true, null],
      ['c', 'alive', true, null],
    ]);
    expect(first.ring).toEqual(topology.ring.vnodes().map((v) => ({ hash: v.hash.toString(), node: v.nodeId })));
    membership.markDead('c');
    const second = sut.view();
    expect(second.members.find((m) => m.id === 'c')).toMatchObject({ state: 'dead', owner: false });
    expect(second.ring).toHaveLength(16);
    expect(second.ringVersion).not.toBe(first.ringVersion);
    expect(sut.ringVersion()).toBe(second.ringVersion);
  });
});
