import { PeerNotFoundError, PeerStatusError, PeerUnreachableError } from './errors';
import { HttpPeerTransport } from './http-peer-transport';
import { PeerOp } from './peer-address';
import { startPeerTestServer } from './testing/peer-test-server';
import { httpTransport, peerServer, rejectionOf, wireItem } from './testing/transport-test-kit';
import type { WireItem } from './wire';

const SELF = { id: 'self', address: 'self:0' };

describe(`${HttpPeerTransport.name} batching (POST /internal/batch)`, () => {
  it('coalesces concurrent sets and removes to one peer into few calls, value bytes exact', async () => {
    const server = await peerServer({ batch: true, token: 'peer-secret' });
    const sut = httpTransport({ batchMaxOps: 0, token: 'peer-secret' });
    const values = Array.from({ length: 200 }, (_, i) => Buffer.from([0, i & 0xff, 0xff, 0xfe, 0x80]));
    await Promise.all(values.map((value, i) => sut.set(server.peer, wireItem({ key: `k${i}`, value }), false)));
    await Promise.all([sut.remove(server.peer, 'k0', false, 99, 'node-a'), sut.remove(server.peer, 'k1', true)]);

    expect(server.requests.every((r) => r.url === '/internal/batch' && r.headers['content-type'] === 'application/msgpack')).toBe(true);
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer peer-secret')).toBe(true);
    expect(server.requests.length).toBeLessThanOrEqual(5);
    expect(sut.batchStats.operations).toBe(202);
    for (let i = 2; i < 200; i++) expect(server.store.get(`k${i}`)!.value.equals(values[i]!)).toBe(true);
    expect(server.store.has('k0') || server.store.has('k1')).toBe(false);
    expect(server.handler.removes).toEqual([
      { key: 'k0', replicate: false, version: 99, origin: 'node-a' },
      { key: 'k1', replicate: true },
    ]);
  });

  it('bounds batches by bytes: 8 concurrent 4 MiB values reach a peer with a 16 MiB body cap, no call above 8 MiB', async () => {
    const server = await peerServer({ batch: true });
    const sut = httpTransport({ batchMaxOps: 0 });
    const values = Array.from({ length: 8 }, (_, i) => Buffer.alloc(4 * 1024 * 1024, i));
    // One lane per kind: forwards (replicate) and store operations both carry big values.
    await Promise.all(values.map((value, i) => sut.set(server.peer, wireItem({ key: `big${i}`, value }), i % 2 === 0)));
    for (let i = 0; i < 8; i++) expect(server.store.get(`big${i}`)!.value.equals(values[i]!)).toBe(true);
    expect(server.requests.length).toBeGreaterThanOrEqual(4);
    for (const r of server.requests) expect(r.wireBytes).toBeLessThanOrEqual(8 * 1024 * 1024 + 64 * 1024);
  });

  it('fails only the operations the peer refused, with the status and code of the single route', async () => {
    const server = await peerServer({ batch: true });
    const stored = server.handler.handleSet.bind(server.handler);
    server.handler.handleSet = (item: WireItem, replicate: boolean) => {
      if (item.key === 'quorum') throw new PeerStatusError(SELF, PeerOp.Set, 500, { error: 'consistency quorum not achieved', code: 'QUORUM_FAILED' });
      if (item.key === 'stranger') throw new PeerNotFoundError(SELF, PeerOp.Set, { error: 'not owner', code: 'NOT_FOUND' });
      stored(item, replicate);
    };
    const sut = httpTransport({ batchMaxOps: 0 });
    const [ok, quorum, stranger] = await Promise.allSettled([
      sut.set(server.peer, wireItem({ key: 'fine' }), false),
      sut.set(server.peer, wireItem({ key: 'quorum', version: 0 }), true),
      sut.set(server.peer, wireItem({ key: 'stranger' }), false),
    ]);
    // One batch per lane: the coordinator request, and the two store operations together.
    expect(server.requests).toHaveLength(2);
    expect(ok.status).toBe('fulfilled');
    const q = (quorum as PromiseRejectedResult).reason as PeerStatusError;
    expect([q.constructor, q.status, q.remoteCode, q.op]).toEqual([PeerStatusError, 500, 'QUORUM_FAILED', 'set']);
    const s = (stranger as PromiseRejectedResult).reason as PeerNotFoundError;
    expect([s.constructor, s.body, s.op]).toEqual([PeerNotFoundError, { error: 'not owner', code: 'NOT_FOUND' }, 'set']);
  });

  it('checked writes (F16): ?check=1 on the batch, STALE_VERSION with the newer version for checked operations only', async () => {
    const server = await peerServer({ batch: true });
    const checks: Array<[string, boolean | undefined]> = [];
    const stale = () => new PeerStatusError(SELF, PeerOp.Set, 409, { error: 'a newer version is stored here (77)', code: 'STALE_VERSION', version: 77 });
    server.handler.handleSet = (item: WireItem, _replicate: boolean, check?: boolean) => {
      checks.push([item.key, check]);
      if (item.key.startsWith('old')) throw stale();
    };
    server.handler.handleRemove = (key: string, _replicate: boolean, _version?: number, _origin?: string, check?: boolean) => {
      checks.push([key, check]);
      if (key.startsWith('old')) throw stale();
    };
    const sut = httpTransport({ batchMaxOps: 0 });
    const [checkedSet, uncheckedSet, checkedRemove, fresh] = await Promise.allSettled([
      sut.set(server.peer, wireItem({ key: 'old-1' }), false, true),
      sut.set(server.peer, wireItem({ key: 'old-2' }), false),
      sut.remove(server.peer, 'old-3', false, 5, 'node-a', true),
      sut.set(server.peer, wireItem({ key: 'new' }), false, true),
    ]);
    expect(server.requests.map((r) => r.url)).toEqual(['/internal/batch?check=1']);
    for (const r of [checkedSet, checkedRemove]) {
      const e = (r as PromiseRejectedResult).reason as PeerStatusError;
      expect([e.constructor, e.status, e.remoteCode, (e.body as { version: number }).version]).toEqual([PeerStatusError, 409, 'STALE_VERSION', 77]);
    }
    // An unchecked operation riding in a checked batch gets the unchecked answer: acknowledged.
    expect([uncheckedSet.status, fresh.status]).toEqual(['fulfilled', 'fulfilled']);
    expect(checks.every(([, c]) => c === true)).toBe(true);

    // Batches without a checked operation carry no flag.
    await sut.set(server.peer, wireItem({ key: 'plain' }), false);
    expect(server.requests[1]!.url).toBe('/internal/batch');
  });

  it('checked writes to a peer without the batch route go as single calls with ?check=1', async () => {
    const server = await peerServer();
    server.handler.handleSet = (item: WireItem) => {
      if (item.key === 'old') throw new PeerStatusError(SELF, PeerOp.Set, 409, { error: 'stale', code: 'STALE_VERSION', version: 9 });
    };
    const sut = httpTransport({ batchMaxOps: 0 });
    const e = await rejectionOf(sut.set(server.peer, wireItem({ key: 'old' }), false, true));
    expect(e).toBeInstanceOf(PeerStatusError);
    expect([(e as PeerStatusError).status, (e as PeerStatusError).remoteCode, ((e as PeerStatusError).body as { version: number }).version]).toEqual([409, 'STALE_VERSION', 9]);
    await sut.remove(server.peer, 'gone', false, 3, 'node-a', true);
    expect(server.requests.map((r) => r.url.replace(/key=[^&]*&.*(check=1)$/, 'key=…&$1'))).toEqual(['/internal/batch?check=1', '/internal/set?check=1', '/internal/del?key=…&check=1']);
  });

  it('falls back to single calls for a peer without the batch route (an upstream node), once', async () => {
    const server = await peerServer();
    const sut = httpTransport({ batchMaxOps: 0 });
    await sut.set(server.peer, wireItem({ key: 'a' }), false);
    await sut.set(server.peer, wireItem({ key: 'b' }), false);
    await sut.remove(server.peer, 'a', false);
    expect(server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /internal/batch',
      'POST /internal/set',
      'POST /internal/set',
      'DELETE /internal/del',
    ]);
    expect([...server.store.keys()]).toEqual(['b']);
  });

  it('gzips a batch body above compressionThresholdBytes', async () => {
    const server = await peerServer({ batch: true });
    const sut = httpTransport({ batchMaxOps: 0, compressionThresholdBytes: 1024 });
    const large = Buffer.alloc(64 * 1024, 'a');
    await Promise.all([sut.set(server.peer, wireItem({ key: 'small', value: Buffer.from('s') }), false)]);
    await sut.set(server.peer, wireItem({ key: 'large', value: large }), false);
    expect(server.requests.map((r) => r.headers['content-encoding'])).toEqual([undefined, 'gzip']);
    expect(server.requests[1]!.wireBytes).toBeLessThan(large.length / 10);
    expect(server.store.get('large')!.value.equals(large)).toBe(true);
  });

  it('fails every operation of a batch with PeerUnreachableError when the peer is down', async () => {
    const gone = await startPeerTestServer();
    await gone.close();
    const sut = httpTransport({ batchMaxOps: 0 });
    const peer = { id: 'node-x', address: gone.address };
    const errors = await Promise.all([rejectionOf(sut.set(peer, wireItem(), false)), rejectionOf(sut.remove(peer, 'k', false))]);
    for (const e of errors) expect(e).toBeInstanceOf(PeerUnreachableError);
  });
});
