import Fastify, { type FastifyInstance } from 'fastify';
import { PeerStatusError, PeerUnreachableError } from './errors';
import { HttpPeerTransport } from './http-peer-transport';

describe('HttpPeerTransport control-plane calls (gossip, probe relay, Merkle)', () => {
  let app: FastifyInstance;
  let peer: { id: string; address: string };
  const seen: Array<{ url: string; auth?: string; body?: unknown }> = [];
  let gossipAnswer = '[{"id":"p","address":"p:1","state":"alive","incarnation":3}]';

  beforeAll(async () => {
    app = Fastify();
    app.addHook('onRequest', async (req) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
    });
    app.post('/internal/gossip', async (req, reply) => {
      seen[seen.length - 1].body = req.body;
      reply.header('content-type', 'application/json').send(gossipAnswer);
    });
    app.get('/internal/probe', async (req, reply) => {
      const target = (req.query as { target?: string }).target;
      if (target === 'up') return reply.type('text/plain').send('ok');
      return reply.code(502).send({ error: 'probe failed' });
    });
    app.get('/internal/merkle', async () => ({ root: 'r', leaf_hashes: ['a', 'b'], chunk_size: 128, buckets: 2 }));
    app.get('/internal/merkle/entries', async () => [{ key: 'k', version: 5, origin: 'n1', tombstone: true }]);
    await app.listen({ port: 0, host: '127.0.0.1' });
    peer = { id: 'p', address: `127.0.0.1:${(app.server.address() as { port: number }).port}` };
  });

  afterAll(() => app.close());

  it('POSTs the member list as JSON with the peer token and returns the answer list', async () => {
    const t = new HttpPeerTransport({ token: 'tok' });
    const members = [{ id: 'a', address: 'a:1', state: 'suspect', incarnation: 2 }];
    expect(await t.gossip(peer, members)).toEqual([{ id: 'p', address: 'p:1', state: 'alive', incarnation: 3 }]);
    expect(seen.at(-1)).toEqual({ url: '/internal/gossip', auth: 'Bearer tok', body: members });
    gossipAnswer = '';
    expect(await t.gossip(peer, members)).toEqual([]);
    gossipAnswer = '{"not":"a list"}';
    expect(await t.gossip(peer, members)).toEqual([]);
    await t.close();
  });

  it('relays probes: 200 resolves, 502 rejects with the status, a dead relay is unreachable', async () => {
    const t = new HttpPeerTransport();
    await expect(t.probeVia(peer, 'up', 500)).resolves.toBeUndefined();
    expect(seen.at(-1)!.url).toBe('/internal/probe?target=up');
    await expect(t.probeVia(peer, 'down', 500)).rejects.toBeInstanceOf(PeerStatusError);
    await expect(t.probeVia({ id: 'x', address: '127.0.0.1:1' }, 'up', 500)).rejects.toBeInstanceOf(PeerUnreachableError);
    await t.close();
  });

  it('asks for per-peer trees and bucket entries', async () => {
    const t = new HttpPeerTransport();
    expect(await t.merkleTree(peer, { peer: 'node 1', buckets: 2 })).toMatchObject({ buckets: 2, leaf_hashes: ['a', 'b'] });
    expect(seen.at(-1)!.url).toBe('/internal/merkle?peer=node%201&buckets=2');
    expect(await t.merkleEntries(peer, { peer: 'n', buckets: 2 }, [0, 1])).toEqual([{ key: 'k', version: 5, origin: 'n1', tombstone: true }]);
    expect(seen.at(-1)!.url).toBe('/internal/merkle/entries?peer=n&buckets=2&bucket=0,1');
    await t.close();
  });
});
