import { MembershipTable } from '@hypercache/membership';
import { writeQuorumMembership } from './cluster-adapters';

describe(writeQuorumMembership.name, () => {
  function setup() {
    const seeds = ['n1', 'n2', 'n3', 'n4', 'n5'].map((id, i) => ({ id, address: `127.0.0.1:${7000 + i}` }));
    const table = new MembershipTable({ self: seeds[0], seeds: seeds.slice(1), now: () => 0 });
    for (const s of seeds.slice(1)) table.upsert({ id: s.id, address: s.address });
    return { table, sut: writeQuorumMembership(table, seeds) };
  }

  it('counts every alive member, itself included, out of every member it ever knew', () => {
    const { sut } = setup();
    expect(sut.knownCount()).toBe(5);
    expect(sut.reachableCount()).toBe(5);
  });

  it('does not count suspects: a side that suspects the majority is a minority at once', () => {
    const { table, sut } = setup();
    table.markSuspect('n3');
    table.markSuspect('n4');
    table.markSuspect('n5');
    expect(sut.reachableCount()).toBe(2);
    expect(2 * sut.reachableCount() <= sut.knownCount()).toBe(true);
    expect(sut.isReachable('n3')).toBe(false);
  });

  it('keeps counting dead and pruned members as known, also when gossip re-adds them as suspects', () => {
    const { table, sut } = setup();
    table.markDead('n5');
    table.remove('n5');
    expect(sut.knownCount()).toBe(5);
    expect(sut.reachableCount()).toBe(4);
    table.upsert({ id: 'n5', address: '127.0.0.1:7004', state: 'suspect', incarnation: 9 });
    expect(sut.reachableCount()).toBe(4);
  });
});
