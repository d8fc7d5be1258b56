import { HttpPeerTransport } from './http-peer-transport';
import { MAX_KEY_PAGES } from './key-pages';
import { httpTransport, peerServer, rejectionOf, wireItem } from './testing/transport-test-kit';

describe(`${HttpPeerTransport.name} keys (dist-protocol.md §12)`, () => {
  it('walks one page per shard and returns every key', async () => {
    const server = await peerServer({ shardCount: 8 });
    const keys = Array.from({ length: 200 }, (_, i) => (i % 2 ? `user:${i}` : `session:${i}`));
    for (const key of keys) server.store.set(key, wireItem({ key }));
    const got = await httpTransport().keys(server.peer, undefined);
    expect(got.sort()).toEqual([...keys].sort());
    expect(server.requests.map((r) => r.url)).toEqual(Array.from({ length: 8 }, (_, i) => `/internal/keys?cursor=${i}`));
  });

  it('passes q to the peer, URL-encoded', async () => {
    const server = await peerServer({ shardCount: 4 });
    for (const key of ['a b:1', 'a b:2', 'ab:3']) server.store.set(key, wireItem({ key }));
    const got = await httpTransport().keys(server.peer, 'a b:');
    expect(got.sort()).toEqual(['a b:1', 'a b:2']);
    expect(server.requests[0]!.url).toBe('/internal/keys?cursor=0&q=a%20b%3A');
  });

  it('returns no keys from an empty peer', async () => {
    const server = await peerServer();
    await expect(httpTransport().keys(server.peer, undefined)).resolves.toEqual([]);
  });

  it('stops, keeping the keys read, when the cursor does not advance', async () => {
    const server = await peerServer();
    server.override('GET /internal/keys', (req, reply) => {
      const cursor = (req.query as { cursor: string }).cursor;
      return cursor === '0'
        ? reply.send({ keys: ['a'], next_cursor: '1', truncated: false })
        : reply.send({ keys: ['b'], next_cursor: '1', truncated: true });
    });
    await expect(httpTransport().keys(server.peer, undefined)).resolves.toEqual(['a', 'b']);
    expect(server.requests).toHaveLength(2);
  });

  it(`gives up after ${MAX_KEY_PAGES} pages`, async () => {
    const server = await peerServer();
    server.override('GET /internal/keys', (req, reply) => {
      const cursor = Number((req.query as { cursor: string }).cursor);
      return reply.send({ keys: [`k${cursor}`], next_cursor: String(cursor + 1), truncated: false });
    });
    const got = await httpTransport().keys(server.peer, undefined);
    expect(got).toHaveLength(MAX_KEY_PAGES);
    expect(server.requests).toHaveLength(MAX_KEY_PAGES);
  });

  it('fails on a malformed page with BAD_REQUEST and on a 400 with PEER_STATUS', async () => {
    const server = await peerServer();
    server.override('GET /internal/keys', (_req, reply) => reply.send({ keys: 'nope', next_cursor: '' }));
    const sut = httpTransport();
    expect((await rejectionOf(sut.keys(server.peer, undefined))).code).toBe('BAD_REQUEST');
    server.override('GET /internal/keys', (_req, reply) => reply.code(400).send({ error: 'invalid glob' }));
    expect((await rejectionOf(sut.keys(server.peer, '[a'))).code).toBe('PEER_STATUS');
  });
});
