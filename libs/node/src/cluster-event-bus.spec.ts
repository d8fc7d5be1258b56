import { ClusterEventBus, ClusterEventType, SUBSCRIBER_BUFFER } from './cluster-event-bus';

describe(ClusterEventBus.name, () => {
  it('buffers up to 16 events per subscriber and drops newer ones while the subscriber is behind', () => {
    const sut = new ClusterEventBus();
    const slow = sut.subscribe(() => undefined);
    for (let i = 0; i < SUBSCRIBER_BUFFER + 5; i++) sut.publish(ClusterEventType.Heartbeat, { i });
    expect(slow.dropped).toBe(5);
    const got = slow.take();
    expect(got).toHaveLength(SUBSCRIBER_BUFFER);
    expect(got.map((e) => JSON.parse(e.json).i)).toEqual([...Array(SUBSCRIBER_BUFFER).keys()]);
    sut.publish(ClusterEventType.Members, { after: true });
    expect(slow.take()).toEqual([{ type: 'members', json: '{"after":true}' }]);
  });

  it('never blocks a publisher on a slow subscriber: the others keep receiving', () => {
    const sut = new ClusterEventBus();
    const slow = sut.subscribe(() => undefined, () => undefined, 1);
    const fast: string[] = [];
    const f = sut.subscribe(() => fast.push(...f.take().map((e) => e.json)));
    for (let i = 0; i < 3; i++) sut.publish(ClusterEventType.Heartbeat, i);
    expect(fast).toEqual(['0', '1', '2']);
    expect(slow.dropped).toBe(2);
  });

  it('ends every subscription on close, and later subscribers at once', async () => {
    const sut = new ClusterEventBus();
    const ended: string[] = [];
    sut.subscribe(() => undefined, () => ended.push('a'));
    const b = sut.subscribe(() => undefined, () => ended.push('b'));
    b.close();
    b.close();
    expect(sut.subscriberCount).toBe(1);
    sut.close();
    expect(ended).toEqual(['b', 'a']);
    expect(sut.subscriberCount).toBe(0);
    sut.subscribe(() => undefined, () => ended.push('late'));
    await Promise.resolve();
    expect(ended).toContain('late');
    expect(sut.subscriberCount).toBe(0);
  });

  it('serializes a payload once and skips the work when nobody listens', () => {
    const sut = new ClusterEventBus();
    let reads = 0;
    const payload = {
      get v() {
        reads++;
        return 1;
      },
    };
    sut.publish(ClusterEventType.Heartbeat, payload);
    expect(reads).toBe(0);
    const a = sut.subscribe(() => undefined);
    const b = sut.subscribe(() => undefined);
    sut.publish(ClusterEventType.Heartbeat, payload);
    expect(reads).toBe(1);
    expect(a.take()[0]).toBe(b.take()[0]);
  });
});
