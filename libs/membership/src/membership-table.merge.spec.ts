import fc from 'fast-check';
import { MemberState, stateSeverity } from './member';
import type { GossipMember } from './member';
import type { MembershipChange } from './membership-change';
import { MembershipTable } from './membership-table';

const SELF = { id: 'node-1', address: 'h1:7946' };

function tableOf() {
  const clock = { ms: 1_000 };
  const sut = new MembershipTable({ self: SELF, seeds: [{ id: 'node-2', address: 'h2:7946' }], now: () => clock.ms });
  const changes: MembershipChange[] = [];
  sut.onChange((c) => changes.push(c));
  return { sut, clock, changes };
}

function entry(id: string, state: string, incarnation: number, address = `${id}:7946`): GossipMember {
  return { id, address, state, incarnation };
}

describe(`${MembershipTable.name}.merge (dist-protocol.md §14)`, () => {
  // node-2 starts alive at incarnation 1.
  it.each([
    ['alive', 2, 'updated', 'alive', 2],
    ['suspect', 2, 'updated', 'suspect', 2],
    ['dead', 5, 'updated', 'dead', 5],
    ['suspect', 1, 'updated', 'suspect', 1],
    ['dead', 1, 'updated', 'dead', 1],
    ['alive', 1, 'ignored', 'alive', 1],
    ['alive', 0, 'ignored', 'alive', 1],
    ['dead', 0, 'ignored', 'alive', 1],
    ['bogus', 2, 'updated', 'alive', 2],
  ])('a known alive@1 member receiving %s@%i is %s → %s@%i', (state, inc, outcome, endState, endInc) => {
    const { sut } = tableOf();
    expect(sut.merge(entry('node-2', state, inc, 'h2:7946'))).toBe(outcome);
    expect(sut.get('node-2')).toMatchObject({ state: endState, incarnation: endInc });
    expect(sut.version).toBe(outcome === 'ignored' ? 0 : 1);
  });

  it.each([
    ['suspect', 1, 'alive', 1, 'ignored'],
    ['suspect', 1, 'dead', 1, 'updated'],
    ['dead', 3, 'suspect', 3, 'ignored'],
    ['dead', 3, 'alive', 4, 'updated'],
  ])('a known %s@%i member receiving %s@%i is %s', (fromState, fromInc, state, inc, outcome) => {
    const { sut } = tableOf();
    sut.upsert({ id: 'node-2', address: 'h2:7946', state: fromState as MemberState, incarnation: fromInc });
    expect(sut.merge(entry('node-2', state, inc, 'h2:7946'))).toBe(outcome);
  });

  it('adds an unknown member with the entry state, address and incarnation, lastSeen = now', () => {
    const { sut, clock, changes } = tableOf();
    clock.ms = 7_000;
    expect(sut.merge(entry('node-7', 'suspect', 4))).toBe('added');
    expect(sut.get('node-7')).toEqual({ id: 'node-7', address: 'node-7:7946', state: 'suspect', incarnation: 4, lastSeenMs: 7_000 });
    expect(changes.map((c) => c.kind)).toEqual(['added']);
  });

  it('takes the new address and refreshes lastSeen with a winning entry', () => {
    const { sut, clock } = tableOf();
    clock.ms = 9_000;
    sut.merge(entry('node-2', 'alive', 3, 'moved:7946'));
    expect(sut.get('node-2')).toEqual({ id: 'node-2', address: 'moved:7946', state: 'alive', incarnation: 3, lastSeenMs: 9_000 });
  });

  it.each([
    ['suspect', 1, 'refuted', 2],
    ['dead', 1, 'refuted', 2],
    ['suspect', 6, 'refuted', 7],
    ['alive', 9, 'ignored', 1],
  ])('answers a claim that the local node is %s@%i with %s, local incarnation %i', (state, inc, outcome, localInc) => {
    const { sut, changes } = tableOf();
    expect(sut.merge(entry('node-1', state, inc, 'h1:7946'))).toBe(outcome);
    expect(sut.local).toMatchObject({ state: 'alive', incarnation: localInc, address: 'h1:7946' });
    expect(changes.map((c) => c.kind)).toEqual(outcome === 'refuted' ? ['refuted'] : []);
  });

  it('ignores a stale suspect claim about the local node after it refuted', () => {
    const { sut } = tableOf();
    sut.merge(entry('node-1', 'suspect', 3));
    expect(sut.local.incarnation).toBe(4);
    expect(sut.merge(entry('node-1', 'suspect', 3))).toBe('ignored');
    expect(sut.merge(entry('node-1', 'dead', 4))).toBe('refuted');
    expect(sut.local.incarnation).toBe(5);
  });

  it.each([
    [{ id: '', address: 'a:1', state: 'alive', incarnation: 1 }, 'id'],
    [{ id: 'n', address: 3, state: 'alive', incarnation: 1 }, 'address'],
    [{ id: 'n', address: 'a:1', state: 'alive', incarnation: -1 }, 'incarnation'],
    [{ id: 'n', address: 'a:1', state: 'alive', incarnation: '2' }, 'incarnation'],
    [{ id: 'n', address: 'a:1', state: 'alive', incarnation: Number.MAX_SAFE_INTEGER }, 'incarnation'],
  ])('rejects the gossip entry %j naming %s', (bad, field) => {
    const { sut } = tableOf();
    expect(() => sut.merge(bad as never)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', field }));
  });

  it('merges a whole gossip body in order', () => {
    const { sut } = tableOf();
    expect(sut.mergeAll([entry('node-3', 'alive', 1), entry('node-3', 'dead', 1), entry('node-1', 'dead', 1)])).toEqual([
      'added',
      'updated',
      'refuted',
    ]);
  });

  describe('properties', () => {
    const peerIds = ['node-2', 'node-3', 'node-4'];
    const update = fc.record({
      id: fc.constantFrom(...peerIds),
      state: fc.constantFrom('alive', 'suspect', 'dead'),
      incarnation: fc.integer({ min: 0, max: 6 }),
    });
    const updates = fc.array(update, { maxLength: 25 });

    type Key = { state: string; incarnation: number };
    const rank = (k: Key) => k.incarnation * 3 + stateSeverity(k.state as MemberState);

    /** Model: the join of the initial record and every update, by (incarnation, severity). */
    function model(list: readonly { id: string; state: string; incarnation: number }[]): Map<string, Key> {
      const out = new Map<string, Key>([['node-2', { state: 'alive', incarnation: 1 }]]);
      for (const u of list) {
        const cur = out.get(u.id);
        if (cur === undefined || rank(u) > rank(cur)) out.set(u.id, { state: u.state, incarnation: u.incarnation });
      }
      return out;
    }

    function apply(list: readonly { id: string; state: string; incarnation: number }[]): Map<string, Key> {
      const { sut } = tableOf();
      for (const u of list) sut.merge(entry(u.id, u.state, u.incarnation));
      return new Map(
        sut
          .list()
          .filter((m) => m.id !== 'node-1')
          .map((m) => [m.id, { state: m.state, incarnation: m.incarnation }]),
      );
    }

    it('reaches the same states and incarnations in any order (commutative), equal to the join model', () => {
      fc.assert(
        fc.property(
          updates.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
          ([list, shuffled]) => {
            const a = apply(list);
            expect(apply(shuffled)).toEqual(a);
            expect(a).toEqual(model(list));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('is idempotent: replaying the updates changes nothing and bumps no version', () => {
      fc.assert(
        fc.property(updates, (list) => {
          const { sut } = tableOf();
          for (const u of list) sut.merge(entry(u.id, u.state, u.incarnation));
          const before = sut.snapshot();
          const version = sut.version;
          for (const u of list) expect(sut.merge(entry(u.id, u.state, u.incarnation))).toBe('ignored');
          expect(sut.snapshot()).toEqual(before);
          expect(sut.version).toBe(version);
        }),
        { numRuns: 300 },
      );
    });

    it('keeps the local node alive above every non-alive claim about it, bumping version once per change', () => {
      const claim = fc.record({ state: fc.constantFrom('alive', 'suspect', 'dead', 'weird'), incarnation: fc.integer({ min: 0, max: 50 }) });
      fc.assert(
        fc.property(fc.array(claim, { maxLength: 30 }), (claims) => {
          const { sut, changes } = tableOf();
          let maxClaim = 0;
          for (const c of claims) {
            sut.merge(entry('node-1', c.state, c.incarnation, 'h1:7946'));
            if (c.state === 'suspect' || c.state === 'dead') maxClaim = Math.max(maxClaim, c.incarnation);
            expect(sut.local.state).toBe(MemberState.Alive);
            expect(sut.local.incarnation).toBeGreaterThan(maxClaim);
          }
          expect(sut.version).toBe(changes.length);
          changes.forEach((c, i) => expect(c.version).toBe(i + 1));
        }),
        { numRuns: 300 },
      );
    });
  });
});
