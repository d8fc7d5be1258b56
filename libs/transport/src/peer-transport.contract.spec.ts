import { PeerNotFoundError, PeerStatusError, PeerUnreachableError, TransportErrorCode } from './errors';
import type { PeerAddress } from './peer-address';
import type { PeerTransport } from './peer-transport';
import { MapPeerHandler } from './testing/map-peer-handler';
import { startPeerTestServer } from './testing/peer-test-server';
import { httpTransport, peerServer, rejectionOf, wireItem } from './testing/transport-test-kit';

interface Rig {
  sut: PeerTransport;
  peer: PeerAddress;
  handler: MapPeerHandler;
  /** An address with no listener. */
  nowhere: PeerAddress;
}

const RECEIVER_NOW = 1_767_225_700_000;

const rigs: Array<[string, () => Promise<Rig>]> = [
  ...(
    [
      ['HttpPeerTransport, batched', true, { batchMaxOps: 0 }],
      ['HttpPeerTransport, single calls', false, { batchMaxOps: -1 }],
      ['HttpPeerTransport, batching against a peer without the batch route', false, { batchMaxOps: 0 }],
    ] as const
  ).map(([name, batch, options]): [string, () => Promise<Rig>] => [
    name,
    async () => {
      const server = await peerServer({ now: () => RECEIVER_NOW, batch });
      const gone = await startPeerTestServer();
      await gone.close();
      return { sut: httpTransport(options), peer: server.peer, handler: server.handler, nowhere: { id: 'node-x', address: gone.address } };
    },
  ]),
];

describe.each(rigs)('PeerTransport contract: %s', (_name, rig) => {
  it('delivers a copy of the item with the replicate flag and the receiver clock', async () => {
    const { sut, peer, handler } = await rig();
    const value = Buffer.from([0, 1, 0xff]);
    await sut.set(peer, wireItem({ value }), true);
    value[0] = 9;
    expect(handler.sets).toHaveLength(1);
    expect(handler.sets[0]!.replicate).toBe(true);
    expect(handler.sets[0]!.item).toEqual(wireItem({ value: Buffer.from([0, 1, 0xff]), lastUpdatedMs: RECEIVER_NOW }));
  });

  it('gets the stored item, or undefined when the peer lacks it', async () => {
    const { sut, peer, handler } = await rig();
    handler.items.set('k', wireItem({ ttlMs: 1, expiresAtMs: 5 }));
    await expect(sut.get(peer, 'k')).resolves.toEqual(wireItem({ ttlMs: 1, expiresAtMs: 5 }));
    await expect(sut.get(peer, 'missing')).resolves.toBeUndefined();
  });

  it('delivers removes with replicate, version and origin', async () => {
    const { sut, peer, handler } = await rig();
    await sut.remove(peer, 'k', true, 12, 'node-a');
    await sut.remove(peer, 'k2', false);
    expect(handler.removes).toEqual([
      { key: 'k', replicate: true, version: 12, origin: 'node-a' },
      { key: 'k2', replicate: false },
    ]);
  });

  it('resolves health, and rejects a draining peer with PeerStatusError 503 "draining"', async () => {
    const { sut, peer, handler } = await rig();
    await sut.health(peer);
    handler.isDraining = true;
    const e = (await rejectionOf(sut.health(peer))) as PeerStatusError;
    expect(e).toBeInstanceOf(PeerStatusError);
    expect([e.status, e.body, e.peer]).toEqual([503, 'draining', peer]);
  });

  it('lists keys matching q', async () => {
    const { sut, peer, handler } = await rig();
    for (const key of ['user:1', 'user:2', 'order:1']) handler.items.set(key, wireItem({ key }));
    expect((await sut.keys(peer, 'user:')).sort()).toEqual(['user:1', 'user:2']);
    expect((await sut.keys(peer, undefined)).sort()).toEqual(['order:1', 'user:1', 'user:2']);
    expect((await sut.keys(peer, '')).sort()).toEqual(['order:1', 'user:1', 'user:2']);
  });

  it('reports an application failure as PeerStatusError with the remote code (QUORUM_FAILED)', async () => {
    const { sut, peer, handler } = await rig();
    handler.handleSet = () => {
      throw Object.assign(new Error('consistency quorum not achieved'), { code: 'QUORUM_FAILED' });
    };
    const e = (await rejectionOf(sut.set(peer, wireItem({ version: 0 }), true))) as PeerStatusError;
    expect(e).toBeInstanceOf(PeerStatusError);
    expect([e.code, e.status, e.remoteCode, e.op]).toEqual([TransportErrorCode.PeerStatus, 500, 'QUORUM_FAILED', 'set']);
  });

  it('reports a handler 404 as PeerNotFoundError', async () => {
    const { sut, peer, handler } = await rig();
    handler.handleGet = () => {
      throw new PeerNotFoundError(peer, 'get', { error: 'not owner' });
    };
    const e = await rejectionOf(sut.get(peer, 'k'));
    expect(e).toBeInstanceOf(PeerNotFoundError);
    expect((e as PeerNotFoundError).body).toEqual({ error: 'not owner' });
  });

  it('fails with PeerUnreachableError for an address without a listener', async () => {
    const { sut, nowhere } = await rig();
    const calls = [
      () => sut.set(nowhere, wireItem(), false),
      () => sut.get(nowhere, 'k'),
      () => sut.remove(nowhere, 'k', false),
      () => sut.health(nowhere),
      () => sut.keys(nowhere, undefined),
    ];
    for (const call of calls) {
      const e = await rejectionOf(call());
      expect(e).toBeInstanceOf(PeerUnreachableError);
      expect((e as PeerUnreachableError).peer).toEqual(nowhere);
    }
  });

  it('rejects malformed keys and items locally with BAD_REQUEST', async () => {
    const { sut, peer, handler } = await rig();
    expect((await rejectionOf(sut.get(peer, ''))).code).toBe('BAD_REQUEST');
    expect((await rejectionOf(sut.set(peer, wireItem({ key: 'a\ud800' }), false))).code).toBe('BAD_REQUEST');
    expect((await rejectionOf(sut.set(peer, wireItem({ version: 1.5 }), false))).code).toBe('BAD_REQUEST');
    expect(handler.sets).toHaveLength(0);
  });

  it('fails every call after close with TRANSPORT_CLOSED', async () => {
    const { sut, peer } = await rig();
    await sut.close();
    await sut.close();
    expect((await rejectionOf(sut.get(peer, 'k'))).code).toBe(TransportErrorCode.TransportClosed);
  });
});
