import { connect, type Socket } from 'node:net';
import { loadXxhash64, type Xxhash64 } from '@hypercache/hashing';
import { http } from '../support/http';
import { startProcessCluster, type ProcNode } from '../support/process-cluster';
import { ownersFromRing, type TopologyRing } from '../support/ring-owners';
import { openSse, type SseEvent, type SseStream } from '../support/sse';
import { until } from '../support/until';

const TOKEN = 'events-token';
const BUFFER = 40;

const api = (n: ProcNode, method: string, path: string, body?: string) => http(method, `${n.api}${path}`, { body, token: TOKEN });
const events = (n: ProcNode, headers: Record<string, string> = {}, query = '') => openSse(`${n.api}/v1/events${query}`, TOKEN, headers);
const changes = (s: SseStream, type?: string): Array<SseEvent & { json: any }> =>
  s.events.filter((e) => e.event !== 'heartbeat' && (type === undefined || e.event === type)).map((e) => ({ ...e, json: JSON.parse(e.data) }));

describe('GET /v1/events on real processes: 4 nodes, RF 3 (issue 17)', () => {
  let nodes: ProcNode[];
  let hasher: Xxhash64;
  let ring: TopologyRing & { ringVersion: string };
  /** A fresh key owned by `owner` (and two others), not owned by `not` when given. */
  let keyFor: (owner: string, not?: string) => string;

  beforeAll(async () => {
    hasher = await loadXxhash64();
    nodes = await startProcessCluster(4, { HYPERCACHE_AUTH_TOKEN: TOKEN, HYPERCACHE_EVENTS_BUFFER: String(BUFFER), HYPERCACHE_EVENTS_HEARTBEAT: '300ms' });
    ring = (await api(nodes[0], 'GET', '/v1/topology')).json();
    let n = 0;
    keyFor = (owner, not) => {
      for (;;) {
        const key = `ev-${n++}`;
        const owners = ownersFromRing(ring, hasher, key);
        if (owners.includes(owner) && (not === undefined || !owners.includes(not))) return key;
      }
    };
  }, 120_000);

  it('shows a PUT and a DELETE entering through a non-owner on every owner’s stream with one key and version', async () => {
    const streams = await Promise.all(nodes.map((n) => events(n)));
    try {
      for (const s of streams) expect([s.status, s.headers['content-type']]).toEqual([200, 'text/event-stream']);
      const key = keyFor('node-2', 'node-1');
      const owners: string[] = (await api(nodes[0], 'GET', `/v1/owners/${key}`)).json().owners;
      expect(owners).toEqual(ownersFromRing(ring, hasher, key));
      expect((await api(nodes[0], 'PUT', `/v1/cache/${key}`, 'v1')).status).toBe(200);
      const head = await api(nodes[0], 'HEAD', `/v1/cache/${key}`);
      const version = Number(head.headers['x-cache-version']);
      const ownerStreams = nodes.map((n, i) => [n, streams[i]] as const).filter(([n]) => owners.includes(n.id));
      for (const [n, s] of ownerStreams) {
        await s.waitFor(() => changes(s, 'set').some((e) => e.json.key === key), 15_000);
        const [e] = changes(s, 'set').filter((x) => x.json.key === key);
        expect(e.json).toEqual({ key, version, origin: head.headers['x-cache-origin'], node: n.id });
        expect(e.id).toMatch(/^[0-9a-f]{16}-\d+$/);
      }
      expect((await api(nodes[0], 'DELETE', `/v1/cache/${key}`)).status).toBe(200);
      const deleted = await Promise.all(
        ownerStreams.map(async ([, s]) => {
          await s.waitFor(() => changes(s, 'delete').some((e) => e.json.key === key), 15_000);
          return changes(s, 'delete').find((e) => e.json.key === key)!.json.version;
        }),
      );
      expect(new Set(deleted).size).toBe(1);
      expect(deleted[0]).toBeGreaterThan(version);
      // node-1 owns neither: a later write it owns is on its stream, this key never was.
      const own = keyFor('node-1');
      await api(nodes[1], 'PUT', `/v1/cache/${own}`, 'x');
      await streams[0].waitFor(() => changes(streams[0], 'set').some((e) => e.json.key === own), 15_000);
      expect(changes(streams[0]).some((e) => e.json.key === key)).toBe(false);
    } finally {
      for (const s of streams) s.close();
    }
  });

  it('reports an expired item as expire once a read found it expired and the sweep removed it', async () => {
    const node = nodes[1];
    const s = await events(node);
    try {
      const key = keyFor('node-2');
      expect((await api(node, 'PUT', `/v1/cache/${key}?ttl=300ms`, 'short')).status).toBe(200);
      await s.waitFor(() => changes(s, 'set').some((e) => e.json.key === key), 15_000);
      const version = changes(s, 'set').find((e) => e.json.key === key)!.json.version;
      await until(async () => (await api(node, 'GET', `/v1/cache/${key}`)).status === 404, 15_000);
      await s.waitFor(() => changes(s, 'expire').some((e) => e.json.key === key), 15_000);
      expect(changes(s, 'expire').find((e) => e.json.key === key)!.json).toEqual({ key, version, origin: expect.any(String), node: 'node-2' });
    } finally {
      s.close();
    }
  });

  it('sends heartbeats carrying the id of the last event and the ring version', async () => {
    const s = await events(nodes[2]);
    try {
      const key = keyFor('node-3');
      await api(nodes[2], 'PUT', `/v1/cache/${key}`, 'v');
      await s.waitFor(() => changes(s).some((e) => e.json.key === key), 15_000);
      const lastId = changes(s).at(-1)!.id;
      const seen = s.events.length;
      await s.waitFor((all) => all.slice(seen).some((e) => e.event === 'heartbeat'), 10_000);
      const beat = s.events.slice(seen).find((e) => e.event === 'heartbeat')!;
      expect(beat.id).toBeUndefined();
      expect(JSON.parse(beat.data)).toEqual({ node: 'node-3', lastId, ringVersion: ring.ringVersion });
    } finally {
      s.close();
    }
  });

  it('resumes from Last-Event-ID with exactly the missed events (header or ?lastEventId=)', async () => {
    const node = nodes[1];
    const first = await events(node);
    const before = keyFor('node-2');
    await api(node, 'PUT', `/v1/cache/${before}`, 'v');
    await first.waitFor(() => changes(first).some((e) => e.json.key === before), 15_000);
    const lastId = changes(first).at(-1)!.id!;
    first.close();
    const missed = Array.from({ length: 5 }, () => keyFor('node-2'));
    for (const k of missed) expect((await api(nodes[3], 'PUT', `/v1/cache/${k}`, 'm')).status).toBe(200);
    // Every write has reached node-2 (QUORUM acknowledged; wait for the third copy too).
    await until(async () => (await Promise.all(missed.map((k) => http('GET', `http://127.0.0.1:${node.ports.dist}/internal/get?key=${k}`, { token: TOKEN })))).every((r) => r.status === 200), 15_000);
    for (const resumed of [await events(node, { 'last-event-id': lastId }), await events(node, {}, `?lastEventId=${encodeURIComponent(lastId)}`)]) {
      try {
        await resumed.waitFor(() => changes(resumed).length >= missed.length, 15_000);
        const got = changes(resumed);
        expect(got.map((e) => [e.event, e.json.key])).toEqual(missed.map((k) => ['set', k]));
        const seq = (id: string) => Number(id.split('-')[1]);
        expect(got.map((e) => seq(e.id!))).toEqual(missed.map((_, i) => seq(lastId) + 1 + i));
      } finally {
        resumed.close();
      }
    }
  });

  it('answers a foreign-epoch id with reset {reason: epoch} and an id older than the buffer with reset {reason: evicted}, then live events', async () => {
    const node = nodes[3];
    const foreign = await events(node, { 'last-event-id': '0123456789abcdef-3' });
    try {
      await foreign.waitFor((e) => e.length >= 1);
      expect(foreign.events[0].event).toBe('reset');
      expect(JSON.parse(foreign.events[0].data)).toEqual({ reason: 'epoch', node: 'node-4' });
    } finally {
      foreign.close();
    }
    const s = await events(node);
    const k0 = keyFor('node-4');
    await api(node, 'PUT', `/v1/cache/${k0}`, 'v');
    await s.waitFor(() => changes(s).some((e) => e.json.key === k0), 15_000);
    const oldId = changes(s).at(-1)!.id!;
    const flood = Array.from({ length: BUFFER + 5 }, () => keyFor('node-4'));
    for (const k of flood) await api(node, 'PUT', `/v1/cache/${k}`, 'f');
    await s.waitFor(() => changes(s).some((e) => e.json.key === flood.at(-1)), 30_000);
    s.close();
    const stale = await events(node, { 'last-event-id': oldId });
    try {
      await stale.waitFor((e) => e.length >= 1);
      expect(stale.events[0].event).toBe('reset');
      expect(JSON.parse(stale.events[0].data)).toEqual({ reason: 'evicted', node: 'node-4' });
      const live = keyFor('node-4');
      await api(node, 'PUT', `/v1/cache/${live}`, 'l');
      await stale.waitFor(() => changes(stale).some((e) => e.json.key === live), 15_000);
      expect(changes(stale).filter((e) => e.event !== 'reset').map((e) => e.json.key)).toEqual([live]);
    } finally {
      stale.close();
    }
  });

  it('needs the read scope: 401 without a token', async () => {
    const s = await openSse(`${nodes[0].api}/v1/events`);
    expect(s.status).toBe(401);
    s.close();
  });

  it('ends open streams when the node shuts down, without holding the listener', async () => {
    const s = await events(nodes[0]);
    await s.waitFor((e) => e.some((x) => x.event === 'heartbeat'), 10_000);
    const t0 = Date.now();
    nodes[0].proc.child.kill('SIGTERM');
    await s.ended;
    expect(await nodes[0].proc.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

/** A raw HTTP/1.1 SSE request whose response is not read until `resume()` (a stalled subscriber); resolves with the body once the response ended. */
function stalledSubscriber(port: number): { socket: Socket; resume: () => Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.write(`GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nAccept: text/event-stream\r\n\r\n`);
  socket.pause();
  const resume = () =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      // The response ends with the last chunk (the connection itself stays open for keep-alive).
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        const text = Buffer.concat(chunks).toString('latin1');
        if (text.endsWith('\r\n0\r\n\r\n')) resolve(dechunk(text));
      });
      socket.once('end', () => reject(new Error('connection closed before the response ended')));
      socket.once('error', reject);
      socket.resume();
    });
  return { socket, resume };
}

/** The body of a chunked HTTP/1.1 response (headers dropped). */
function dechunk(raw: string): string {
  let rest = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  let body = '';
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) break;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) break;
    body += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
  return body;
}

describe('a subscriber that does not read (issue 17)', () => {
  it('is cut off with reset {reason: overflow} while writes keep succeeding at normal latency', async () => {
    const [node] = await startProcessCluster(1, { HYPERCACHE_AUTH_TOKEN: TOKEN, HYPERCACHE_REPLICATION: '1', HYPERCACHE_EVENTS_QUEUE: '64KiB' });
    const timedPut = async (i: number) => {
      const t0 = performance.now();
      const r = await api(node, 'PUT', `/v1/cache/probe-${i}`, 'p');
      expect(r.status).toBe(200);
      return performance.now() - t0;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const baseline: number[] = [];
    for (let i = 0; i < 20; i++) baseline.push(await timedPut(i));

    const { socket, resume } = stalledSubscriber(node.ports.api);
    await until(() => socket.bytesWritten > 0 && !socket.connecting);
    // ~7.7 MB of frames (1 KB keys): more than the socket buffers of a reader that never reads
    // (send side autotuned up to tcp_wmem max, 4 MiB by default; the receive side stays small) plus the 64 KiB queue.
    const long = 'k'.repeat(1_000);
    const during: number[] = [];
    let written = 0;
    for (let b = 0; b < 14; b++) {
      const items = Array.from({ length: 500 }, (_, i) => ({ key: `${long}-${b}-${i}`, value: 'x' }));
      const r = await api(node, 'POST', '/v1/cache/batch/put', JSON.stringify({ items }));
      expect(r.status).toBe(200);
      expect(r.json().results.every((x: { stored: boolean }) => x.stored)).toBe(true);
      written += items.length;
      during.push(await timedPut(100 + b));
    }
    expect(median(during)).toBeLessThan(median(baseline) * 3 + 25);

    const body = await resume();
    const frames = body.split('\n\n').filter((f) => f.includes('event: '));
    const sets = frames.filter((f) => f.includes('event: set')).length;
    const last = frames.at(-1)!;
    expect(last).toMatch(/^id: [0-9a-f]{16}-\d+\nevent: reset\ndata: \{"reason":"overflow","node":"node-1"\}$/);
    expect(sets).toBeGreaterThan(0);
    expect(sets).toBeLessThan(written);
    // The server ended the response (its last chunk arrived), and the node still serves.
    expect((await api(node, 'GET', `/v1/cache/probe-0`)).status).toBe(200);
  }, 180_000);
});
