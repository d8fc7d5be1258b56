import { PeerNotFoundError, PeerStatusError, PeerUnreachableError, TransportErrorCode } from './errors';
import { HttpPeerTransport } from './http-peer-transport';
import { startPeerTestServer } from './testing/peer-test-server';
import { httpTransport, peerServer, rejectionOf, wireItem } from './testing/transport-test-kit';

describe(`${HttpPeerTransport.name} operations`, () => {
  it('stores, fetches and removes an item with exact bytes and the receiver-stamped clock', async () => {
    const server = await peerServer({ now: () => 1_767_225_601_000 });
    const sut = httpTransport({ now: () => 0 });
    const value = Buffer.from([0, 0xff, 0xfe, 0x00, 0x80]);
    await sut.set(server.peer, wireItem({ key: 'a b&c+d/é😀', value }), false);
    expect(server.store.get('a b&c+d/é😀')?.value.equals(value)).toBe(true);

    const got = await sut.get(server.peer, 'a b&c+d/é😀');
    expect(got).toEqual(wireItem({ key: 'a b&c+d/é😀', value, lastUpdatedMs: 1_767_225_601_000 }));

    await sut.remove(server.peer, 'a b&c+d/é😀', true, 42, 'node-a');
    expect(server.store.has('a b&c+d/é😀')).toBe(false);
    await expect(sut.get(server.peer, 'a b&c+d/é😀')).resolves.toBeUndefined();
  });

  it('sends replicate, version and origin on remove only when given', async () => {
    const server = await peerServer();
    const sut = httpTransport();
    await sut.remove(server.peer, 'k', true, 42, 'node-a');
    await sut.remove(server.peer, 'k', false);
    const urls = server.requests.map((r) => r.url);
    expect(urls).toEqual(['/internal/del?key=k&replicate=true&version=42&origin=node-a', '/internal/del?key=k&replicate=false']);
  });

  it('sends the replicate flag of set in the body', async () => {
    const server = await peerServer();
    const bodies: unknown[] = [];
    server.override('POST /internal/set', (req, reply) => {
      bodies.push(req.body);
      return reply.send({});
    });
    const sut = httpTransport();
    await sut.set(server.peer, wireItem(), true);
    await sut.set(server.peer, wireItem(), false);
    expect(bodies.map((b) => (b as { replicate: boolean }).replicate)).toEqual([true, false]);
  });

  it('resolves health on 200 and rejects a draining peer with PeerStatusError 503', async () => {
    const server = await peerServer();
    const sut = httpTransport();
    await sut.health(server.peer);
    server.handler.isDraining = true;
    const e = await rejectionOf(sut.health(server.peer));
    expect(e).toBeInstanceOf(PeerStatusError);
    expect((e as PeerStatusError).status).toBe(503);
    expect((e as PeerStatusError).body).toBe('draining');
  });

  it('rejects invalid keys and peer addresses locally without network I/O', async () => {
    const server = await peerServer();
    const sut = httpTransport();
    expect((await rejectionOf(sut.get(server.peer, ''))).code).toBe(TransportErrorCode.BadRequest);
    expect((await rejectionOf(sut.get(server.peer, 'x\ud800'))).code).toBe('BAD_REQUEST');
    expect((await rejectionOf(sut.remove(server.peer, '\udfff', false))).code).toBe('BAD_REQUEST');
    for (const address of ['nohost', 'host:', 'host:0', 'host:70000', 'http://host:1', 'a/b:1', 'user@host:1']) {
      expect((await rejectionOf(sut.health({ id: 'x', address }))).code).toBe('BAD_REQUEST');
    }
    expect(server.requests).toHaveLength(0);
    expect(sut.poolCount).toBe(0);
  });

  it('rejects a malformed peer answer with BAD_REQUEST', async () => {
    const server = await peerServer();
    server.override('GET /internal/get', (_req, reply) => reply.type('application/json').send('{"found":tru'));
    const sut = httpTransport();
    expect((await rejectionOf(sut.get(server.peer, 'k'))).code).toBe('BAD_REQUEST');
    server.override('GET /internal/get', (_req, reply) => reply.send({ found: true, item: { Key: 'k' } }));
    expect((await rejectionOf(sut.get(server.peer, 'k'))).code).toBe('BAD_REQUEST');
  });
});

describe(`${HttpPeerTransport.name} status mapping`, () => {
  it('maps 404 to PeerNotFoundError with the body', async () => {
    const server = await peerServer();
    server.override('GET /internal/get', (_req, reply) => reply.code(404).send({ error: 'not owner' }));
    const e = await rejectionOf(httpTransport().get(server.peer, 'k'));
    expect(e).toBeInstanceOf(PeerNotFoundError);
    expect(e.code).toBe(TransportErrorCode.PeerNotFound);
    expect((e as PeerNotFoundError).body).toEqual({ error: 'not owner' });
    expect((e as PeerNotFoundError).peer).toEqual(server.peer);
    expect((e as PeerNotFoundError).op).toBe('get');
  });

  it('maps 500 QUORUM_FAILED to PeerStatusError carrying status and remote code, not to unreachable', async () => {
    const server = await peerServer();
    server.override('POST /internal/set', (_req, reply) =>
      reply.code(500).send({ error: 'consistency quorum not achieved', code: 'QUORUM_FAILED' }),
    );
    const e = await rejectionOf(httpTransport().set(server.peer, wireItem({ version: 0, origin: '' }), true));
    expect(e).toBeInstanceOf(PeerStatusError);
    expect(e).not.toBeInstanceOf(PeerUnreachableError);
    expect(e.code).toBe(TransportErrorCode.PeerStatus);
    const s = e as PeerStatusError;
    expect([s.status, s.remoteCode, s.remoteMessage]).toEqual([500, 'QUORUM_FAILED', 'consistency quorum not achieved']);
  });

  it('maps other statuses ≥ 300 to PeerStatusError, keeping a non-JSON body as text', async () => {
    const server = await peerServer();
    server.override('DELETE /internal/del', (_req, reply) => reply.code(302).header('location', '/x').send('moved'));
    server.override('POST /internal/set', (_req, reply) => reply.code(413).send({ error: 'too large' }));
    const sut = httpTransport();
    const moved = (await rejectionOf(sut.remove(server.peer, 'k', false))) as PeerStatusError;
    expect([moved.status, moved.body, moved.remoteCode]).toEqual([302, 'moved', undefined]);
    const big = (await rejectionOf(sut.set(server.peer, wireItem(), false))) as PeerStatusError;
    expect([big.code, big.status, big.remoteMessage]).toEqual(['PEER_STATUS', 413, 'too large']);
  });

  it('maps a refused connection to PeerUnreachableError that is not a timeout', async () => {
    const gone = await startPeerTestServer();
    await gone.close();
    const e = await rejectionOf(httpTransport().set({ id: 'node-x', address: gone.address }, wireItem(), false));
    expect(e).toBeInstanceOf(PeerUnreachableError);
    expect(e.code).toBe(TransportErrorCode.PeerUnreachable);
    expect((e as PeerUnreachableError).isTimeout).toBe(false);
    expect(e.cause).toBeDefined();
  });

  it('maps a connection reset mid-request to PeerUnreachableError', async () => {
    const server = await peerServer();
    server.override('GET /internal/get', (req) => {
      req.raw.socket.destroy();
      return server.stall();
    });
    const e = await rejectionOf(httpTransport().get(server.peer, 'k'));
    expect(e.code).toBe('PEER_UNREACHABLE');
  });
});
