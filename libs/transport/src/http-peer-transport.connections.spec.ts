import { PeerStatusError, TransportErrorCode } from './errors';
import { HttpPeerTransport } from './http-peer-transport';
import { httpTransport, peerServer, rejectionOf, wireItem } from './testing/transport-test-kit';

describe(`${HttpPeerTransport.name} auth`, () => {
  it('sends Authorization: Bearer <token> on every route when a token is configured', async () => {
    const server = await peerServer({ token: 's3cret' });
    const sut = httpTransport({ token: 's3cret' });
    await sut.set(server.peer, wireItem(), false);
    await sut.get(server.peer, 'k');
    await sut.remove(server.peer, 'k', false);
    await sut.health(server.peer);
    await sut.keys(server.peer, undefined);
    expect(new Set(server.requests.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer s3cret']));
  });

  it('sends no Authorization header without a token, and a 401 surfaces as PeerStatusError', async () => {
    const server = await peerServer({ token: 's3cret' });
    const e = await rejectionOf(httpTransport({ token: '' }).health(server.peer));
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    expect(e).toBeInstanceOf(PeerStatusError);
    expect([(e as PeerStatusError).status, (e as PeerStatusError).remoteMessage]).toEqual([401, 'unauthorized']);
  });
});

describe(`${HttpPeerTransport.name} keep-alive`, () => {
  it('reuses keep-alive connections for sequential calls to a peer', async () => {
    const server = await peerServer();
    const sut = httpTransport();
    for (let i = 0; i < 50; i++) {
      await sut.set(server.peer, wireItem({ key: `k${i}` }), false);
      await sut.get(server.peer, `k${i}`);
    }
    expect(server.requests).toHaveLength(100);
    // undici's Pool marks a client free again one macrotask after the body ended, so a call issued
    // right after the previous one completes lands on a second socket: two sockets, never more.
    expect(server.connectionCount).toBeLessThanOrEqual(2);
  });

  it('opens at most connectionsPerPeer sockets under concurrency, one pool per address', async () => {
    const a = await peerServer();
    const b = await peerServer();
    const sut = httpTransport({ connectionsPerPeer: 4 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => sut.set(i % 2 ? a.peer : { id: 'node-c', address: b.address }, wireItem({ key: `k${i}` }), false)));
    expect(a.store.size + b.store.size).toBe(40);
    expect(a.connectionCount).toBeGreaterThan(1);
    expect(a.connectionCount).toBeLessThanOrEqual(4);
    expect(b.connectionCount).toBeLessThanOrEqual(4);
    expect(sut.poolCount).toBe(2);
  });

  it('close() releases every pool and later calls fail with TRANSPORT_CLOSED', async () => {
    const server = await peerServer();
    const sut = httpTransport();
    await sut.health(server.peer);
    await sut.close();
    await sut.close();
    expect(sut.isClosed).toBe(true);
    expect(sut.poolCount).toBe(0);
    expect((await rejectionOf(sut.health(server.peer))).code).toBe(TransportErrorCode.TransportClosed);
  });
});

describe(`${HttpPeerTransport.name} compression`, () => {
  it('gzips set bodies only when their JSON exceeds compressionThresholdBytes', async () => {
    const server = await peerServer();
    const sut = httpTransport({ compressionThresholdBytes: 1024 });
    const small = wireItem({ key: 'small', value: Buffer.alloc(100, 'a') });
    const large = wireItem({ key: 'large', value: Buffer.alloc(64 * 1024, 'a') });
    await sut.set(server.peer, small, false);
    await sut.set(server.peer, large, false);
    const [s, l] = server.requests;
    expect(s!.headers['content-encoding']).toBeUndefined();
    expect(l!.headers['content-encoding']).toBe('gzip');
    expect(l!.wireBytes).toBeLessThan(large.value.length / 10);
    expect(server.store.get('small')!.value.equals(small.value)).toBe(true);
    expect(server.store.get('large')!.value.equals(large.value)).toBe(true);
  });

  it('never compresses with the default threshold 0, and never compresses get/remove', async () => {
    const server = await peerServer();
    const sut = httpTransport();
    await sut.set(server.peer, wireItem({ value: Buffer.alloc(64 * 1024) }), false);
    await sut.get(server.peer, 'k');
    expect(server.requests.map((r) => r.headers['content-encoding'])).toEqual([undefined, undefined]);
  });
});

describe(`${HttpPeerTransport.name} control calls under load (issue 21)`, () => {
  it('answers health probes while every data connection to the peer is stalled', async () => {
    const server = await peerServer();
    server.override('POST /internal/set', () => server.stall());
    const sut = httpTransport({ connectionsPerPeer: 2, timeoutMs: 20_000 });
    const stalled = [0, 1, 2].map((i) => sut.set(server.peer, wireItem({ key: `k${i}` }), false).catch(() => undefined));
    for (const deadline = Date.now() + 5_000; server.requests.filter((r) => r.url === '/internal/set').length < 2; ) {
      if (Date.now() > deadline) throw new Error('the stalled sets never reached the peer');
      await new Promise((r) => setTimeout(r, 10));
    }
    // A probe with the heartbeat's short timeout gets through; it used to queue behind the sets.
    await expect(sut.health(server.peer, { timeoutMs: 2_000 })).resolves.toBeUndefined();
    await server.close();
    await Promise.all(stalled);
  });
});
