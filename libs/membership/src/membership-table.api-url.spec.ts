import { MembershipTable } from './membership-table';

const SELF = { id: 'node-1', address: 'h1:7946' };

function tableOf() {
  const sut = new MembershipTable({ self: SELF, seeds: [{ id: 'node-2', address: 'h2:7946' }], now: () => 1_000 });
  let changes = 0;
  sut.onChange(() => changes++);
  return { sut, changes: () => changes };
}

describe(`${MembershipTable.name} client API URLs (issue 17)`, () => {
  it('gossips the local API URL once set, without a membership change', () => {
    const { sut, changes } = tableOf();
    expect(sut.gossipPayload().find((m) => m.id === 'node-1')).toEqual({ id: 'node-1', address: 'h1:7946', state: 'alive', incarnation: 1 });
    sut.setLocalApiUrl('http://h1:8080');
    expect(sut.gossipPayload().find((m) => m.id === 'node-1')).toEqual({ id: 'node-1', address: 'h1:7946', state: 'alive', incarnation: 1, apiUrl: 'http://h1:8080' });
    expect([sut.version, changes()]).toEqual([0, 0]);
  });

  it('learns a peer URL from an entry at the same incarnation (otherwise ignored) and from a newer one', () => {
    const { sut } = tableOf();
    expect(sut.merge({ id: 'node-2', address: 'h2:7946', state: 'alive', incarnation: 1, apiUrl: 'http://h2:8080' })).toBe('ignored');
    expect(sut.get('node-2')?.apiUrl).toBe('http://h2:8080');
    expect(sut.version).toBe(0);
    expect(sut.merge({ id: 'node-2', address: 'h2:7946', state: 'suspect', incarnation: 2, apiUrl: 'http://h2b:8080' })).toBe('updated');
    expect(sut.get('node-2')).toMatchObject({ state: 'suspect', apiUrl: 'http://h2b:8080' });
  });

  it('keeps a known URL through entries without one (upstream peers), marks and older claims', () => {
    const { sut } = tableOf();
    sut.merge({ id: 'node-3', address: 'h3:7946', state: 'alive', incarnation: 4, apiUrl: 'https://h3:8443' });
    sut.merge({ id: 'node-3', address: 'h3:7946', state: 'alive', incarnation: 5 });
    sut.markSuspect('node-3');
    sut.merge({ id: 'node-3', address: 'h3:7946', state: 'alive', incarnation: 2, apiUrl: 'http://stale:1' });
    expect(sut.get('node-3')).toMatchObject({ incarnation: 6, state: 'suspect', apiUrl: 'https://h3:8443' });
    expect(sut.gossipPayload().find((m) => m.id === 'node-3')?.apiUrl).toBe('https://h3:8443');
  });

  it('fills in a missing URL from an older claim (this view bumped the incarnation on a suspect/alive flap)', () => {
    const { sut } = tableOf();
    // node-2 (a seed, no URL yet) is suspected and comes back: this view now holds incarnation 3.
    sut.markSuspect('node-2');
    sut.markAlive('node-2');
    expect(sut.get('node-2')).toMatchObject({ incarnation: 3, state: 'alive' });
    // node-2's own gossip still says incarnation 1; its URL must not be lost for that.
    sut.merge({ id: 'node-2', address: 'h2:7946', state: 'alive', incarnation: 1, apiUrl: 'http://h2:8080' });
    expect(sut.get('node-2')).toMatchObject({ incarnation: 3, state: 'alive', apiUrl: 'http://h2:8080' });
    // A known URL is still replaced only by a claim at least as recent.
    sut.merge({ id: 'node-2', address: 'h2:7946', state: 'alive', incarnation: 1, apiUrl: 'http://other:1' });
    expect(sut.get('node-2')?.apiUrl).toBe('http://h2:8080');
  });

  it('drops a malformed apiUrl, never the entry, and keeps the local URL when refuting', () => {
    const { sut } = tableOf();
    expect(sut.merge({ id: 'node-4', address: 'h4:7946', state: 'alive', incarnation: 1, apiUrl: 42 as unknown as string })).toBe('added');
    expect(sut.get('node-4')?.apiUrl).toBeUndefined();
    sut.setLocalApiUrl('http://h1:8080');
    expect(sut.merge({ id: 'node-1', address: 'h1:7946', state: 'suspect', incarnation: 1, apiUrl: 'http://evil:1' })).toBe('refuted');
    expect(sut.local).toMatchObject({ incarnation: 2, apiUrl: 'http://h1:8080' });
  });
});
