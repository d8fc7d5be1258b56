import { Readable } from 'node:stream';
import { ManualTimers } from '@hypercache/loops/testing';
import { PeerResponseTooLargeError, PeerUnreachableError, TransportErrorCode } from './errors';
import { HttpPeerTransport } from './http-peer-transport';
import type { PeerTestServer } from './testing/peer-test-server';
import { closeAfterAll, httpTransport, peerServer, rejectionOf, wireItem } from './testing/transport-test-kit';

describe(`${HttpPeerTransport.name} timeouts`, () => {
  it('fails a peer that sends no headers within timeoutMs with PeerUnreachableError (isTimeout)', async () => {
    const server = await peerServer();
    server.override('GET /internal/get', () => server.stall());
    const started = performance.now();
    const e = await rejectionOf(httpTransport({ timeoutMs: 200 }).get(server.peer, 'k'));
    const elapsed = performance.now() - started;
    expect(e).toBeInstanceOf(PeerUnreachableError);
    expect(e.code).toBe(TransportErrorCode.PeerUnreachable);
    expect((e as PeerUnreachableError).isTimeout).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('counts the body in the deadline: headers sent, body stalled → timeout', async () => {
    const server = await peerServer();
    server.override('GET /internal/get', (_req, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      reply.raw.write('{"found":');
      return server.stall();
    });
    const e = await rejectionOf(httpTransport({ timeoutMs: 200 }).get(server.peer, 'k'));
    expect(e.code).toBe('PEER_UNREACHABLE');
    expect((e as PeerUnreachableError).isTimeout).toBe(true);
  });

  it('extends the deadline by 1 ms per 2 KiB of request body: a 4 MiB set answered after 600 ms meets a 200 ms timeout (deadline ≈ 2.9 s for its 5.6 MB JSON body)', async () => {
    const server = await peerServer();
    const timers = new ManualTimers();
    const sut = httpTransport({ timeoutMs: 200, timers });
    // A peer that answers only when the test says so (a receiver busy fanning out a large value).
    const large = await heldSet(server, () => sut.set(server.peer, wireItem({ value: Buffer.alloc(4 * 1024 * 1024) }), false));
    expect(large.bodyBytes).toBeGreaterThan(4 * 1024 * 1024);
    expect(timers.pendingDelays).toEqual([200 + Math.ceil(large.bodyBytes / 2_048)]);
    await timers.advance(600);
    expect(await large.answer()).toEqual({ ok: true, value: undefined });
    // The same answer time for a small body is a timeout.
    const small = await heldSet(server, () => sut.set(server.peer, wireItem({ value: Buffer.from('small') }), false));
    expect(timers.pendingDelays).toEqual([200 + Math.ceil(small.bodyBytes / 2_048)]);
    await timers.advance(600);
    expectTimeout(await small.answer());
  });

  it('gives a coordinator request (replicate: true) twice timeoutMs: it waits on the receiver\'s own replica calls', async () => {
    const server = await peerServer();
    const timers = new ManualTimers();
    const sut = httpTransport({ timeoutMs: 300, timers });
    // A receiver whose answer waits 1.5 × timeoutMs on its own replica call (a paused replica).
    const forward = await heldSet(server, () => sut.set(server.peer, wireItem({ version: 0 }), true));
    expect(timers.pendingDelays).toEqual([2 * 300 + Math.ceil(forward.bodyBytes / 2_048)]);
    await timers.advance(450);
    expect(await forward.answer()).toEqual({ ok: true, value: undefined });
    const store = await heldSet(server, () => sut.set(server.peer, wireItem(), false));
    await timers.advance(450);
    expectTimeout(await store.answer());
  });

  it('applies a per-call health timeout and keeps working for the next call', async () => {
    const server = await peerServer();
    server.override('GET /health', () => server.stall());
    const sut = httpTransport({ timeoutMs: 60_000 });
    const e = await rejectionOf(sut.health(server.peer, { timeoutMs: 100 }));
    expect((e as PeerUnreachableError).isTimeout).toBe(true);
    server.override('GET /health', undefined);
    await sut.health(server.peer, { timeoutMs: 1_000 });
    expect((await rejectionOf(sut.health(server.peer, { timeoutMs: -1 }))).code).toBe('BAD_REQUEST');
  });
});

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Starts a `set` whose answer the peer holds back until {@link answer} (no timer involved), and
 * waits (polling, bounded) until the peer received it. `answer` lets the peer reply, then reports
 * how the call settled — a call that timed out first settles as that failure.
 */
async function heldSet(
  server: PeerTestServer,
  call: () => Promise<unknown>,
): Promise<{ bodyBytes: number; answer(): Promise<Settled> }> {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  closeAfterAll(() => open()); // a failed assertion must not leave the peer's answer hanging
  server.override('POST /internal/set', (_req, reply) => opened.then(() => reply.send({})));
  const seen = server.requests.length;
  const result: Promise<Settled> = call().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  for (const deadline = Date.now() + 10_000; server.requests.length <= seen; ) {
    if (Date.now() > deadline) throw new Error('the peer never received the set');
    await new Promise((r) => setImmediate(r));
  }
  return {
    bodyBytes: server.requests[seen]!.wireBytes,
    answer: async () => {
      open();
      return result;
    },
  };
}

function expectTimeout(r: Settled): void {
  expect(r.ok).toBe(false);
  expect((r as { error: PeerUnreachableError }).error).toBeInstanceOf(PeerUnreachableError);
  expect((r as { error: PeerUnreachableError }).error.isTimeout).toBe(true);
}

describe(`${HttpPeerTransport.name} response limit`, () => {
  it('rejects a response whose Content-Length exceeds responseLimitBytes', async () => {
    const server = await peerServer();
    server.override('GET /internal/get', (_req, reply) => reply.type('application/json').send(Buffer.alloc(2048, 0x20)));
    const e = await rejectionOf(httpTransport({ responseLimitBytes: 1024 }).get(server.peer, 'k'));
    expect(e).toBeInstanceOf(PeerResponseTooLargeError);
    expect(e.code).toBe(TransportErrorCode.PeerResponseTooLarge);
    expect((e as PeerResponseTooLargeError).limitBytes).toBe(1024);
    expect((e as PeerResponseTooLargeError).receivedBytes).toBe(2048);
  });

  it('enforces the cap while reading a chunked body: an endless stream is cut off', async () => {
    const server = await peerServer();
    let sentBytes = 0;
    server.override('GET /internal/keys', (_req, reply) => {
      const endless = new Readable({
        read() {
          sentBytes += 64 * 1024;
          this.push(Buffer.alloc(64 * 1024, 0x20));
        },
      });
      return reply.type('application/json').send(endless);
    });
    const sut = httpTransport({ responseLimitBytes: 1024 * 1024 });
    const e = await rejectionOf(sut.keys(server.peer, undefined));
    expect(e).toBeInstanceOf(PeerResponseTooLargeError);
    expect((e as PeerResponseTooLargeError).receivedBytes).toBeGreaterThan(1024 * 1024);
    expect((e as PeerResponseTooLargeError).receivedBytes).toBeLessThan(2 * 1024 * 1024);
    // The transport is still usable afterwards (the poisoned socket was dropped).
    server.override('GET /internal/keys', undefined);
    await expect(sut.keys(server.peer, undefined)).resolves.toEqual([]);
    expect(sentBytes).toBeLessThan(64 * 1024 * 1024);
  });

  it('accepts a response of exactly responseLimitBytes', async () => {
    const server = await peerServer();
    const body = JSON.stringify({ found: false }).padEnd(1024, ' ');
    server.override('GET /internal/get', (_req, reply) => reply.type('application/json').send(body));
    await expect(httpTransport({ responseLimitBytes: 1024 }).get(server.peer, 'k')).resolves.toBeUndefined();
  });

  it('sends set bodies of several MiB', async () => {
    const server = await peerServer();
    const value = Buffer.alloc(4 * 1024 * 1024, 7);
    await httpTransport().set(server.peer, wireItem({ value }), false);
    expect(server.store.get('k')!.value.equals(value)).toBe(true);
  });
});
