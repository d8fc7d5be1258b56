import { MEMBERSHIP_ERROR_CODES } from './errors';
import type { MembershipChange } from './membership-change';
import { MembershipTable } from './membership-table';
import type { MembershipTableOptions } from './membership-table-options';

const SELF = { id: 'node-1', address: 'hypercache-1:7946' };
const SEEDS = [
  { id: 'node-2', address: 'hypercache-2:7946' },
  { id: 'node-3', address: 'hypercache-3:7946' },
];

function tableOf(o: Partial<MembershipTableOptions> = {}) {
  const clock = { ms: 1_000 };
  const sut = new MembershipTable({ self: SELF, seeds: SEEDS, now: () => clock.ms, ...o });
  const changes: MembershipChange[] = [];
  sut.onChange((c) => changes.push(c));
  return { sut, clock, changes };
}

describe(MembershipTable.name, () => {
  describe('bootstrap (dist-protocol.md §2)', () => {
    it('holds the local member and every seed alive at incarnation 1, lastSeen = now', () => {
      const { sut } = tableOf();
      expect(sut.list()).toEqual([
        { id: 'node-1', address: 'hypercache-1:7946', state: 'alive', incarnation: 1, lastSeenMs: 1_000 },
        { id: 'node-2', address: 'hypercache-2:7946', state: 'alive', incarnation: 1, lastSeenMs: 1_000 },
        { id: 'node-3', address: 'hypercache-3:7946', state: 'alive', incarnation: 1, lastSeenMs: 1_000 },
      ]);
      expect(sut.localId).toBe('node-1');
      expect(sut.local.state).toBe('alive');
      expect(sut.version).toBe(0);
      expect(sut.size).toBe(3);
    });

    it('skips seeds with the local ID or address and keeps the last of a repeated ID', () => {
      const sut = new MembershipTable({
        self: SELF,
        seeds: [
          { id: 'node-1', address: 'elsewhere:1' },
          { id: 'node-9', address: 'hypercache-1:7946' },
          { id: 'node-2', address: 'old:7946' },
          { id: 'node-2', address: 'new:7946' },
        ],
      });
      expect(sut.snapshot()).toEqual([
        { ID: 'node-1', Address: 'hypercache-1:7946', State: 'alive', Incarnation: 1 },
        { ID: 'node-2', Address: 'new:7946', State: 'alive', Incarnation: 1 },
      ]);
    });

    it.each([
      [{ self: { id: '', address: 'a:1' } }, 'self.id'],
      [{ self: { id: 'x', address: '' } }, 'self.address'],
      [{ self: undefined }, 'self'],
      [{ self: SELF, seeds: [{ id: 'n', address: 7 }] }, 'seeds[0].address'],
      [{ self: SELF, now: 5 }, 'now'],
    ])('rejects %j naming %s', (options, option) => {
      expect(() => new MembershipTable(options as unknown as MembershipTableOptions)).toThrow(
        expect.objectContaining({ code: MEMBERSHIP_ERROR_CODES.invalidOption, option }),
      );
    });
  });

  describe('marks (dist-protocol.md §14 Mark)', () => {
    it.each([
      ['markSuspect', 'alive', 'suspect', 2],
      ['markDead', 'alive', 'dead', 2],
    ] as const)('%s moves %s → %s, bumps the view incarnation to %i, version and event', (method, _from, to, inc) => {
      const { sut, changes } = tableOf();
      expect(sut[method]('node-2')).toBe(true);
      expect(sut.get('node-2')).toMatchObject({ state: to, incarnation: inc });
      expect(sut.version).toBe(1);
      expect(changes).toEqual([expect.objectContaining({ kind: 'updated', version: 1, member: sut.get('node-2') })]);
      expect(changes[0].previous).toMatchObject({ state: 'alive', incarnation: 1 });
    });

    it('refreshes only lastSeen when the state is the same (no incarnation, version or event)', () => {
      const { sut, clock, changes } = tableOf();
      clock.ms = 5_000;
      expect(sut.markAlive('node-2')).toBe(false);
      expect(sut.get('node-2')).toMatchObject({ state: 'alive', incarnation: 1, lastSeenMs: 5_000 });
      expect(sut.version).toBe(0);
      expect(changes).toEqual([]);
    });

    it('keeps lastSeen when marking suspect or dead, refreshes it when marking alive', () => {
      const { sut, clock } = tableOf();
      clock.ms = 4_000;
      sut.markSuspect('node-2');
      expect(sut.get('node-2')!.lastSeenMs).toBe(1_000);
      sut.markSuspect('node-2');
      expect(sut.get('node-2')).toMatchObject({ incarnation: 2, lastSeenMs: 1_000 });
      clock.ms = 6_000;
      expect(sut.markAlive('node-2')).toBe(true);
      expect(sut.get('node-2')).toMatchObject({ state: 'alive', incarnation: 3, lastSeenMs: 6_000 });
      expect(sut.version).toBe(2);
    });

    it('ignores marks of unknown members', () => {
      const { sut, changes } = tableOf();
      expect(sut.markAlive('nobody')).toBe(false);
      expect(sut.markSuspect('nobody')).toBe(false);
      expect(sut.markDead('nobody')).toBe(false);
      expect(changes).toEqual([]);
    });

    it('never marks the local member suspect or dead', () => {
      const { sut } = tableOf();
      expect(() => sut.markSuspect('node-1')).toThrow(expect.objectContaining({ code: 'LOCAL_MEMBER' }));
      expect(() => sut.markDead('node-1')).toThrow(expect.objectContaining({ code: 'LOCAL_MEMBER' }));
      expect(sut.markAlive('node-1')).toBe(false);
      expect(sut.local.state).toBe('alive');
    });
  });

  describe('upsert and remove', () => {
    it('adds an unknown member with defaults alive / incarnation 1', () => {
      const { sut, clock, changes } = tableOf();
      clock.ms = 2_000;
      expect(sut.upsert({ id: 'node-4', address: 'hypercache-4:7946' })).toBe(true);
      expect(sut.get('node-4')).toEqual({ id: 'node-4', address: 'hypercache-4:7946', state: 'alive', incarnation: 1, lastSeenMs: 2_000 });
      expect(changes.map((c) => [c.kind, c.version])).toEqual([['added', 1]]);
    });

    it('replaces a member and reports a change only when address, state or incarnation differ', () => {
      const { sut, clock, changes } = tableOf();
      clock.ms = 3_000;
      expect(sut.upsert({ id: 'node-2', address: 'hypercache-2:7946' })).toBe(false);
      expect(sut.get('node-2')!.lastSeenMs).toBe(3_000);
      expect(sut.upsert({ id: 'node-2', address: 'moved:7946' })).toBe(true);
      expect(sut.upsert({ id: 'node-2', address: 'moved:7946', state: 'suspect', incarnation: 4 })).toBe(true);
      expect(sut.get('node-2')).toMatchObject({ address: 'moved:7946', state: 'suspect', incarnation: 4 });
      expect(changes.map((c) => c.kind)).toEqual(['updated', 'updated']);
      expect(sut.version).toBe(2);
    });

    it('removes a member once, with a removed event carrying the old record', () => {
      const { sut, changes } = tableOf();
      const old = sut.get('node-3');
      expect(sut.remove('node-3')).toBe(true);
      expect(sut.remove('node-3')).toBe(false);
      expect(sut.has('node-3')).toBe(false);
      expect(changes).toEqual([{ kind: 'removed', version: 1, member: old, previous: old }]);
    });

    it.each([
      [{ id: '', address: 'a:1' }, 'id'],
      [{ id: 'n', address: '' }, 'address'],
      [{ id: 'n', address: 'a:1', incarnation: -1 }, 'incarnation'],
      [{ id: 'n', address: 'a:1', incarnation: 1.5 }, 'incarnation'],
      [{ id: 'n', address: 'a:1', state: 'zombie' }, 'state'],
    ])('rejects the upsert %j naming %s', (update, field) => {
      const { sut } = tableOf();
      expect(() => sut.upsert(update as never)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', field }));
    });

    it('refuses to upsert or remove the local member', () => {
      const { sut } = tableOf();
      expect(() => sut.upsert({ id: 'node-1', address: 'x:1', state: 'dead' })).toThrow(expect.objectContaining({ code: 'LOCAL_MEMBER' }));
      expect(() => sut.remove('node-1')).toThrow(expect.objectContaining({ code: 'LOCAL_MEMBER' }));
    });
  });

  describe('views', () => {
    it('lists alive members, non-dead ring members and the /cluster/members shape', () => {
      const { sut } = tableOf();
      sut.upsert({ id: 'node-0', address: 'h0:7946' });
      sut.markSuspect('node-2');
      sut.markDead('node-3');
      expect(sut.alive().map((m) => m.id)).toEqual(['node-0', 'node-1']);
      expect(sut.ringMembers()).toEqual(['node-0', 'node-1', 'node-2']);
      expect(sut.snapshot()).toEqual([
        { ID: 'node-0', Address: 'h0:7946', State: 'alive', Incarnation: 1 },
        { ID: 'node-1', Address: 'hypercache-1:7946', State: 'alive', Incarnation: 1 },
        { ID: 'node-2', Address: 'hypercache-2:7946', State: 'suspect', Incarnation: 2 },
        { ID: 'node-3', Address: 'hypercache-3:7946', State: 'dead', Incarnation: 2 },
      ]);
      expect(sut.gossipPayload()[2]).toEqual({ id: 'node-2', address: 'hypercache-2:7946', state: 'suspect', incarnation: 2 });
    });

    it('hands out frozen records', () => {
      const { sut } = tableOf();
      expect(Object.isFrozen(sut.local)).toBe(true);
    });
  });

  describe('listeners', () => {
    it('stops notifying after unsubscribe (idempotent)', () => {
      const { sut } = tableOf();
      const seen: number[] = [];
      const off = sut.onChange((c) => seen.push(c.version));
      sut.markSuspect('node-2');
      off();
      off();
      sut.markDead('node-2');
      expect(seen).toEqual([1]);
    });

    it('notifies every listener once per change even when the same function subscribes twice', () => {
      const { sut } = tableOf();
      const seen: number[] = [];
      const fn = (c: MembershipChange) => seen.push(c.version);
      const off1 = sut.onChange(fn);
      sut.onChange(fn);
      sut.markSuspect('node-2');
      off1();
      sut.markDead('node-2');
      expect(seen).toEqual([1, 1, 2]);
    });

    it('commits the change and runs every listener before rethrowing the first listener error', () => {
      const { sut } = tableOf();
      const boom = new Error('boom');
      const seen: string[] = [];
      sut.onChange(() => {
        throw boom;
      });
      sut.onChange(() => seen.push('second'));
      expect(() => sut.markSuspect('node-2')).toThrow(boom);
      expect(seen).toEqual(['second']);
      expect(sut.get('node-2')!.state).toBe('suspect');
    });

    it('hands listener errors to onListenerError when given', () => {
      const errors: unknown[] = [];
      const { sut } = tableOf({ onListenerError: (e) => errors.push(e) });
      sut.onChange(() => {
        throw new Error('boom');
      });
      expect(sut.markSuspect('node-2')).toBe(true);
      expect(errors).toHaveLength(1);
    });

    it('lets a listener read the committed table', () => {
      const { sut } = tableOf();
      const rings: string[][] = [];
      sut.onChange(() => rings.push(sut.ringMembers()));
      sut.markDead('node-3');
      expect(rings).toEqual([['node-1', 'node-2']]);
    });
  });
});
