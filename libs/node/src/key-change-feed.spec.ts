import { inProcessCluster, keyOwnedBy } from '@hypercache/distributed/testing';
import { ManualTimers } from '@hypercache/loops/testing';
import { EventJournal } from './event-journal';
import { KeyChangeFeed } from './key-change-feed';

const IDS = ['n1', 'n2', 'n3', 'n4'];

async function setup() {
  const { cluster, ring, engines } = await inProcessCluster(IDS, { replication: 3 });
  const timers = new ManualTimers();
  const feeds = new Map<string, { journal: EventJournal; take: () => Array<{ id?: string; event: string; data: any }> }>();
  for (const id of IDS) {
    const journal = new EventJournal({ nodeId: id, epoch: `ep${id}`, timers });
    new KeyChangeFeed({ nodeId: id, journal, dist: cluster.node(id).cache, engine: engines.get(id)!, heartbeatMs: 1_000, timers }).start();
    const sub = journal.subscribe(undefined, { notify: () => undefined, onClose: () => undefined });
    const take = () =>
      sub.take().map((f) => ({
        ...(/^id: /.test(f) ? { id: /^id: (.*)$/m.exec(f)![1] } : {}),
        event: /^event: (.*)$/m.exec(f)![1],
        data: JSON.parse(/^data: (.*)$/m.exec(f)![1]),
      }));
    feeds.set(id, { journal, take });
  }
  return { cluster, ring, engines, feeds, timers };
}

describe(KeyChangeFeed.name, () => {
  it('reports a write on every owner (coordinator and replicas) with one key, version and origin, and nothing on a non-owner', async () => {
    const { cluster, ring, feeds } = await setup();
    const key = keyOwnedBy(ring, ['n2', 'n3', 'n4']);
    const out = await cluster.node('n1').cache.set(key, Buffer.from('v'), 0);
    const version = cluster.node('n2').store.stamp(key)!.version;
    expect(out.owners).toEqual(['n2', 'n3', 'n4']);
    for (const id of ['n2', 'n3', 'n4']) {
      expect(feeds.get(id)!.take()).toEqual([{ id: `ep${id}-1`, event: 'set', data: { key, version, origin: 'n2', node: id } }]);
    }
    expect(feeds.get('n1')!.take()).toEqual([]);
  });

  it('reports a delete with the tombstone version on every owner', async () => {
    const { cluster, ring, feeds } = await setup();
    const key = keyOwnedBy(ring, ['n1', 'n2', 'n3']);
    await cluster.node('n4').cache.set(key, Buffer.from('v'), 0);
    await cluster.node('n4').cache.remove(key);
    const tomb = cluster.node('n1').cache.tombstones.get(key)!;
    for (const id of ['n1', 'n2', 'n3']) {
      const events = feeds.get(id)!.take();
      expect(events.map((e) => e.event)).toEqual(['set', 'delete']);
      expect(events[1].data).toEqual({ key, version: tomb.version, origin: tomb.origin, node: id });
      expect(events[1].data.version).toBeGreaterThan(events[0].data.version);
    }
  });

  it('reports items removed by the expiration sweep as expire, and clear', async () => {
    const { cluster, ring, engines, feeds } = await setup();
    const key = keyOwnedBy(ring, ['n1', 'n2', 'n3']);
    await cluster.node('n1').cache.set(key, Buffer.from('v'), 50);
    const version = cluster.node('n1').store.stamp(key)!.version;
    feeds.get('n1')!.take();
    cluster.nowMs += 51;
    const engine = engines.get('n1')!;
    engine.triggerExpiration();
    await engine.idle();
    expect(feeds.get('n1')!.take()).toEqual([{ id: 'epn1-2', event: 'expire', data: { key, version, origin: 'n1', node: 'n1' } }]);
    engine.clear();
    expect(feeds.get('n1')!.take()).toEqual([{ id: 'epn1-3', event: 'clear', data: { origin: 'n1', node: 'n1' } }]);
  });

  it('sends heartbeats with the last id (and the ring version when given) to subscribers', async () => {
    const { cluster, ring, engines, feeds, timers } = await setup();
    await cluster.node('n1').cache.set(keyOwnedBy(ring, ['n1', 'n2', 'n3']), Buffer.from('v'), 0);
    feeds.get('n1')!.take();
    await timers.advance(1_000);
    expect(feeds.get('n1')!.take()).toEqual([{ event: 'heartbeat', data: { node: 'n1', lastId: 'epn1-1' } }]);
    const journal = new EventJournal({ nodeId: 'n2', epoch: 'r', timers });
    let version = 'v1';
    new KeyChangeFeed({ nodeId: 'n2', journal, dist: cluster.node('n2').cache, engine: engines.get('n2')!, heartbeatMs: 500, timers, ringVersion: () => version }).start();
    const sub = journal.subscribe(undefined, { notify: () => undefined, onClose: () => undefined });
    await timers.advance(500);
    version = 'v2';
    await timers.advance(500);
    expect(sub.take().map((f) => JSON.parse(/^data: (.*)$/m.exec(f)![1]).ringVersion)).toEqual(['v1', 'v2']);
  });

  it('only counts changes while nobody records, so a later resume from before them resets', async () => {
    const { cluster, engines } = await inProcessCluster(['solo'], { replication: 1 });
    const journal = new EventJournal({ nodeId: 'solo', epoch: 'x', idleRetentionMs: 0 });
    const feed = new KeyChangeFeed({ nodeId: 'solo', journal, dist: cluster.node('solo').cache, engine: engines.get('solo')!, heartbeatMs: 1_000, timers: new ManualTimers() });
    feed.start();
    await cluster.node('solo').cache.set('a', Buffer.from('1'), 0);
    await cluster.node('solo').cache.remove('a');
    expect([journal.isRecording, journal.lastId]).toEqual([false, 'x-2']);
    const sub = journal.subscribe('x-0', { notify: () => undefined, onClose: () => undefined });
    expect(sub.initial[0]).toContain('"reason":"evicted"');
    feed.stop();
    sub.close();
    await cluster.node('solo').cache.set('b', Buffer.from('1'), 0);
    expect(journal.lastId).toBe('x-2');
  });
});
