import { ManualTimers } from '@hypercache/loops/testing';
import { EventJournal, resolveEventJournalOptions, type EventJournalOptions, type JournalSubscription } from './event-journal';

const EPOCH = 'e1';

function journalOf(o: Partial<EventJournalOptions> = {}) {
  const timers = new ManualTimers();
  const sut = new EventJournal({ nodeId: 'n1', epoch: EPOCH, timers, ...o });
  return { sut, timers };
}

/** A subscriber that records notifications and its close, and parses frames. */
function listen(sut: EventJournal, lastEventId?: string) {
  const state = { notified: 0, closed: 0 };
  const sub = sut.subscribe(lastEventId, { notify: () => state.notified++, onClose: () => state.closed++ });
  return { sub, state };
}

interface Frame {
  id?: string;
  event: string;
  data: any;
}
const parse = (frames: readonly string[]): Frame[] =>
  frames.map((f) => {
    expect(f.endsWith('\n\n')).toBe(true);
    const id = /^id: (.*)$/m.exec(f)?.[1];
    return { ...(id === undefined ? {} : { id }), event: /^event: (.*)$/m.exec(f)![1], data: JSON.parse(/^data: (.*)$/m.exec(f)![1]) };
  });
const publishN = (sut: EventJournal, from: number, to: number) => {
  for (let i = from; i <= to; i++) sut.publish('set', JSON.stringify({ key: `k${i}` }));
};
const keysOf = (sub: JournalSubscription | readonly string[]) => parse(Array.isArray(sub) ? sub : (sub as JournalSubscription).take()).map((f) => f.data.key);

describe(EventJournal.name, () => {
  it('numbers events <epoch>-<seq> from 1 and delivers each to every subscriber as one SSE frame', () => {
    const { sut } = journalOf();
    expect(sut.lastId).toBe('e1-0');
    const a = listen(sut);
    const b = listen(sut);
    sut.publish('set', '{"key":"a","version":7}');
    sut.publish('delete', '{"key":"a","version":8}');
    expect(a.sub.take()).toEqual(['id: e1-1\nevent: set\ndata: {"key":"a","version":7}\n\n', 'id: e1-2\nevent: delete\ndata: {"key":"a","version":8}\n\n']);
    expect(parse(b.sub.take()).map((f) => f.id)).toEqual(['e1-1', 'e1-2']);
    expect([a.state.notified, sut.lastId]).toEqual([2, 'e1-2']);
  });

  it('replays exactly the events after Last-Event-ID, then live ones', () => {
    const { sut } = journalOf();
    listen(sut);
    publishN(sut, 1, 5);
    const r = listen(sut, 'e1-2');
    expect(r.sub.resumed).toBe(true);
    expect(parse(r.sub.initial).map((f) => [f.id, f.data.key])).toEqual([
      ['e1-3', 'k3'],
      ['e1-4', 'k4'],
      ['e1-5', 'k5'],
    ]);
    expect(listen(sut, 'e1-5').sub.initial).toEqual([]);
    sut.publish('set', '{"key":"k6"}');
    expect(keysOf(r.sub)).toEqual(['k6']);
  });

  it.each([
    ['another epoch', 'e0-3'],
    ['a malformed id', 'not-an-id!'],
    ['an id ahead of the sequence', 'e1-99'],
  ])('answers %s with reset {reason: epoch} carrying the current id', (_what, id) => {
    const { sut } = journalOf();
    listen(sut);
    publishN(sut, 1, 3);
    const r = listen(sut, id);
    expect(r.sub.resumed).toBe(false);
    expect(parse(r.sub.initial)).toEqual([{ id: 'e1-3', event: 'reset', data: { reason: 'epoch', node: 'n1' } }]);
  });

  it('answers an id older than the buffer with reset {reason: evicted}; the oldest kept boundary still resumes', () => {
    const { sut } = journalOf({ bufferEvents: 5 });
    listen(sut);
    publishN(sut, 1, 10);
    expect(parse(listen(sut, 'e1-4').sub.initial)).toEqual([{ id: 'e1-10', event: 'reset', data: { reason: 'evicted', node: 'n1' } }]);
    expect(keysOf(listen(sut, 'e1-5').sub.initial)).toEqual(['k6', 'k7', 'k8', 'k9', 'k10']);
  });

  it('cuts off a subscriber whose queue passes the bound with a final reset {reason: overflow}; the others keep receiving', () => {
    const frameBytes = 'id: e1-1\nevent: set\ndata: {"key":"k1"}\n\n'.length;
    const { sut } = journalOf({ maxQueueBytes: frameBytes * 3 });
    const slow = listen(sut);
    const fast = listen(sut);
    const got: string[] = [];
    for (let i = 1; i <= 5; i++) {
      publishN(sut, i, i);
      got.push(...keysOf(fast.sub));
    }
    expect(got).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
    expect(slow.sub.ended).toBe(true);
    expect(slow.state.closed).toBe(1);
    expect(parse(slow.sub.take())).toEqual([{ id: 'e1-4', event: 'reset', data: { reason: 'overflow', node: 'n1' } }]);
    expect(sut.subscriberCount).toBe(1);
    sut.publish('set', '{"key":"k6"}');
    expect(slow.sub.take()).toEqual([]);
  });

  it('does not count replayed frames against the queue bound', () => {
    const { sut } = journalOf({ maxQueueBytes: 100 });
    const keeper = listen(sut);
    for (let i = 1; i <= 20; i++) {
      publishN(sut, i, i);
      keeper.sub.take();
    }
    const r = listen(sut, 'e1-0');
    expect(r.sub.initial).toHaveLength(20);
    expect(r.sub.ended).toBe(false);
  });

  it('only counts events while nobody subscribed for longer than the idle retention: a resume from before them resets', async () => {
    const { sut, timers } = journalOf({ idleRetentionMs: 1_000 });
    expect(sut.isRecording).toBe(false);
    sut.skip();
    expect(sut.lastId).toBe('e1-1');
    const first = listen(sut);
    expect(sut.isRecording).toBe(true);
    publishN(sut, 2, 3);
    first.sub.close();
    // Within the retention the journal keeps recording: a reconnect resumes.
    publishN(sut, 4, 4);
    await timers.advance(999);
    const back = listen(sut, 'e1-3');
    expect([back.sub.resumed, keysOf(back.sub.initial)]).toEqual([true, ['k4']]);
    back.sub.close();
    await timers.advance(1_000);
    expect(sut.isRecording).toBe(false);
    sut.skip();
    expect(parse(listen(sut, 'e1-4').sub.initial)[0].data.reason).toBe('evicted');
    // Nothing happened after e1-5: resuming from the last id loses nothing.
    expect(listen(sut, 'e1-5').sub.resumed).toBe(true);
  });

  it('broadcasts id-less frames (heartbeats) to live subscribers without keeping them', () => {
    const { sut } = journalOf();
    const a = listen(sut);
    sut.broadcast('heartbeat', '{"node":"n1","lastId":"e1-0"}');
    expect(a.sub.take()).toEqual(['event: heartbeat\ndata: {"node":"n1","lastId":"e1-0"}\n\n']);
    expect(sut.lastId).toBe('e1-0');
    expect(listen(sut, 'e1-0').sub.initial).toEqual([]);
  });

  it('ends every subscription on close, and later subscribers at once', async () => {
    const { sut } = journalOf();
    const a = listen(sut);
    const b = listen(sut);
    b.sub.close();
    b.sub.close();
    sut.close();
    expect([a.state.closed, b.state.closed, a.sub.ended]).toEqual([1, 1, true]);
    const late = listen(sut);
    await Promise.resolve();
    expect([late.state.closed, late.sub.ended, sut.subscriberCount]).toEqual([1, true, 0]);
  });

  it('draws a random epoch per journal and rejects nonsense options naming them', () => {
    const a = new EventJournal({ nodeId: 'n1' });
    const b = new EventJournal({ nodeId: 'n1' });
    expect(a.epoch).toMatch(/^[0-9a-f]{16}$/);
    expect(a.epoch).not.toBe(b.epoch);
    expect(() => resolveEventJournalOptions({ nodeId: '' })).toThrow('nodeId');
    expect(() => resolveEventJournalOptions({ nodeId: 'n', bufferEvents: 0 })).toThrow('bufferEvents');
    expect(() => resolveEventJournalOptions({ nodeId: 'n', maxQueueBytes: 1.5 })).toThrow('maxQueueBytes');
    expect(() => resolveEventJournalOptions({ nodeId: 'n', idleRetentionMs: -1 })).toThrow('idleRetentionMs');
    expect(() => resolveEventJournalOptions({ nodeId: 'n', epoch: 'a-b' })).toThrow('epoch');
  });
});
