import { MembershipTable } from '@hypercache/membership';
import { writeQuorumMembership } from './cluster-adapters';

describe(writeQuorumMembership.name, () => {
  const H = 100;
  function setup() {
    let now = 0;
    const seeds = ['n1', 'n2', 'n3', 'n4', 'n5'].map((id, i) => ({ id, address: `127.0.0.1:${7000 + i}` }));
    const table = new MembershipTable({ self: seeds[0], seeds: seeds.slice(1), now: () => now });
    for (const s of seeds.slice(1)) table.upsert({ id: s.id, address: s.address });
    const sut = writeQuorumMembership(table, seeds, () => now, 3 * H);
    return { table, sut, advance: (ms: number) => (now += ms) };
  }

  it('counts every alive member, itself included, out of every member it ever knew', () => {
    const { sut } = setup();
    expect(sut.knownCount()).toBe(5);
    expect(sut.reachableCount()).toBe(5);
  });

  it('counts a suspect during the first grace of its suspicion (a short false suspicion refuses nothing)', () => {
    const { table, sut, advance } = setup();
    advance(10 * H);
    table.markSuspect('n4');
    table.markSuspect('n5');
    table.markSuspect('n3');
    expect(sut.reachableCount()).toBe(5);
    expect(sut.isReachable('n3')).toBe(false);
  });

  it('stops counting suspects suspected for longer than the grace, even if gossip refreshes them: a cut-off minority is one', () => {
    const { table, sut, advance } = setup();
    table.markSuspect('n3');
    table.markSuspect('n4');
    table.markSuspect('n5');
    advance(3 * H + 1);
    // gossip from the other node on this side repeats the suspicion: lastSeen is refreshed
    table.upsert({ id: 'n3', address: '127.0.0.1:7002', state: 'suspect', incarnation: table.get('n3')!.incarnation });
    expect(sut.reachableCount()).toBe(2);
    expect(2 * sut.reachableCount() <= sut.knownCount()).toBe(true);
  });

  it('keeps counting dead and pruned members as known', () => {
    const { table, sut } = setup();
    table.markDead('n5');
    table.remove('n5');
    expect(sut.knownCount()).toBe(5);
    expect(sut.reachableCount()).toBe(4);
  });
});
