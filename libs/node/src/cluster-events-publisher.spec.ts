import { DistMetrics } from '@hypercache/distributed';
import { loadXxhash64 } from '@hypercache/hashing';
import { ManualTimers } from '@hypercache/loops/testing';
import { HashRing, MembershipTable, RingTopology } from '@hypercache/membership';
import { ClusterEventsPublisher } from './cluster-events-publisher';
import { EventJournal } from './event-journal';

/** The journal's frames for one subscriber, read back as `{type, json}` (each also carries an id). */
function eventsOf(journal: EventJournal) {
  const sub = journal.subscribe(undefined, { notify: () => undefined, onClose: () => undefined });
  return {
    take: () =>
      sub.take().map((frame) => {
        expect(frame).toMatch(new RegExp(`^id: ${journal.epoch}-\\d+\n`));
        return { type: /^event: (.*)$/m.exec(frame)![1], json: /^data: (.*)$/m.exec(frame)![1] };
      }),
  };
}

async function setup(timers = new ManualTimers()) {
  const membership = new MembershipTable({ self: { id: 'node-1', address: 'a:1' }, seeds: [{ id: 'node-2', address: 'b:1' }] });
  const topology = new RingTopology('node-1', new HashRing(await loadXxhash64(), membership.ringMembers(), { replication: 2, virtualNodes: 4 }));
  const journal = new EventJournal({ nodeId: 'node-1', timers });
  const bus = { subscribe: () => eventsOf(journal) };
  const metrics = new DistMetrics();
  const sut = new ClusterEventsPublisher({ journal, membership, topology, metrics, heartbeatIntervalMs: 10, timers });
  return { membership, bus, journal, metrics, sut, timers };
}

describe(ClusterEventsPublisher.name, () => {
  it('publishes a heartbeat every interval and a members event on each membership change', async () => {
    const { membership, bus, metrics, sut, timers } = await setup();
    const sub = bus.subscribe();
    sut.start();
    sut.start();
    metrics.HeartbeatSuccess = 7;
    await timers.advance(35);
    membership.markSuspect('node-2');
    const events = sub.take();
    sut.stop();
    const beats = events.filter((e) => e.type === 'heartbeat');
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(beats[0].json)).toEqual({ heartbeatSuccess: 7, heartbeatFailure: 0, nodesRemoved: 0, readPrimaryPromote: 0 });
    const members = events.filter((e) => e.type === 'members').map((e) => JSON.parse(e.json));
    expect(members).toEqual([
      {
        replication: 2,
        virtualNodes: 4,
        members: [
          { ID: 'node-1', Address: 'a:1', State: 'alive', Incarnation: 1 },
          { ID: 'node-2', Address: 'b:1', State: 'suspect', Incarnation: 2 },
        ],
      },
    ]);
  });

  it('publishes nothing after stop()', async () => {
    const { membership, bus, sut, timers } = await setup();
    const sub = bus.subscribe();
    sut.start();
    sut.stop();
    sut.stop();
    membership.markSuspect('node-2');
    await timers.advance(30);
    expect(sub.take()).toEqual([]);
  });

  it('rejects a non-positive heartbeat interval naming the option', async () => {
    const { journal, membership, metrics } = await setup();
    const topology = new RingTopology('node-1', new HashRing(await loadXxhash64(), ['node-1'], { replication: 1, virtualNodes: 1 }));
    expect(() => new ClusterEventsPublisher({ journal, membership, topology, metrics, heartbeatIntervalMs: 0 })).toThrow('heartbeatIntervalMs');
  });
});
