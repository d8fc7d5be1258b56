import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { http } from '../support/http';
import { freePort, spawnServer, until } from '../support/server-process';

const TOKEN = 'caps-token';
const MIB = 1024 * 1024;

/** A body of `totalBytes` sent in 64 KiB chunks without Content-Length (chunked transfer encoding). */
function chunked(totalBytes: number): { chunkedBytes: number } {
  return { chunkedBytes: totalBytes };
}

/**
 * Only the headers, announcing `bytes` in Content-Length: a listener must refuse an announced
 * body over its cap from the header alone. (Sending bytes the server will never read would race
 * its close: the kernel answers them with a reset that can swallow the 413 before it is read.)
 */
function announced(bytes: number): { announcedBytes: number } {
  return { announcedBytes: bytes };
}

/**
 * One request over a raw socket, reading the answer even when the server answers early and
 * closes while the body is still being written (an HTTP client would report EPIPE and lose the
 * 413 the server did send).
 */
function send(url: string, method: string, body: Buffer | { chunkedBytes: number } | { announcedBytes: number }, headers: Record<string, string> = {}) {
  const { hostname, port, pathname } = new URL(url);
  return new Promise<{ status: number; contentType: string; json: () => { code: string } }>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => undefined); // EPIPE / ECONNRESET after the early answer
    socket.on('close', () => {
      const raw = Buffer.concat(received).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(raw);
      if (!m) return reject(new Error(`no HTTP answer: ${raw.slice(0, 200)}`));
      const [head, ...rest] = raw.split('\r\n\r\n');
      const contentType = /content-type: ([^\r\n]+)/i.exec(head!)?.[1] ?? '';
      resolve({ status: Number(m[1]), contentType, json: () => JSON.parse(rest.join('\r\n\r\n')) });
    });
    const isChunked = 'chunkedBytes' in body;
    const length = Buffer.isBuffer(body) ? body.length : 'announcedBytes' in body ? body.announcedBytes : 0;
    const lines = [
      `${method} ${pathname} HTTP/1.1`,
      `host: ${hostname}:${port}`,
      `authorization: Bearer ${TOKEN}`,
      'connection: close',
      isChunked ? 'transfer-encoding: chunked' : `content-length: ${length}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    // Like curl: stop sending as soon as the server has answered.
    const answered = () => received.length > 0 || socket.destroyed;
    const piece = Buffer.alloc(64 * 1024, 0x61);
    let offset = 0;
    const total = 'chunkedBytes' in body ? body.chunkedBytes : Buffer.isBuffer(body) ? body.length : 0;
    // One piece at a time, each flushed to the kernel and followed by an I/O turn, so an early
    // answer is read before the server's close turns further writes into EPIPE / RST.
    const pump = async () => {
      while (offset < total && !answered()) {
        const part = Buffer.isBuffer(body) ? body.subarray(offset, offset + piece.length) : piece;
        offset += part.length;
        const framed = isChunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part;
        await new Promise((r) => socket.write(framed, r));
        await new Promise((r) => setImmediate(r));
      }
      if (!answered() && isChunked) socket.write('0\r\n\r\n');
    };
    void pump();
  });
}

// Every listener refuses an oversized body with a clean `413 {"error","code":"PAYLOAD_TOO_LARGE"}`
// and keeps serving (docs/decisions.md S7, D18). One real server process, default settings.
describe('body caps on every listener of a real server process (default HYPERCACHE_MAX_BODY_BYTES = 4 MiB)', () => {
  let base: { api: string; mgmt: string; dist: string };

  beforeAll(async () => {
    const p = { api: await freePort(), mgmt: await freePort(), dist: await freePort() };
    spawnServer({
      HYPERCACHE_NODE_ID: 'caps-1',
      HYPERCACHE_API_ADDR: `127.0.0.1:${p.api}`,
      HYPERCACHE_MGMT_ADDR: `127.0.0.1:${p.mgmt}`,
      HYPERCACHE_DIST_ADDR: `127.0.0.1:${p.dist}`,
      HYPERCACHE_AUTH_TOKEN: TOKEN,
    });
    base = { api: `http://127.0.0.1:${p.api}`, mgmt: `http://127.0.0.1:${p.mgmt}`, dist: `http://127.0.0.1:${p.dist}` };
    await until(async () => (await http('GET', `${base.api}/healthz`)).status === 200, 60_000);
  }, 90_000);

  /** The node still stores and serves a value on the client API, and its peer listener answers. */
  async function expectServing(tag: string): Promise<void> {
    expect((await http('PUT', `${base.api}/v1/cache/after-${tag}`, { body: tag, token: TOKEN })).status).toBe(200);
    expect((await http('GET', `${base.api}/v1/cache/after-${tag}`, { token: TOKEN })).text).toBe(tag);
    expect((await http('GET', `${base.dist}/health`, { token: TOKEN })).status).toBe(200);
  }

  function expect413(r: { status: number; contentType: string; json: () => { code: string } }): void {
    expect(r.status).toBe(413);
    expect(r.contentType).toMatch(/application\/json/);
    expect(r.json().code).toBe('PAYLOAD_TOO_LARGE');
  }

  it('client API: a 4 MiB value is stored, one byte more is 413', async () => {
    expect((await send(`${base.api}/v1/cache/exact`, 'PUT', Buffer.alloc(4 * MIB, 1))).status).toBe(200);
    expect413(await send(`${base.api}/v1/cache/over`, 'PUT', announced(4 * MIB + 1)));
    await expectServing('length');
  });

  it('client API: a chunked upload without Content-Length is cut off at the cap with 413', async () => {
    expect413(await send(`${base.api}/v1/cache/chunked`, 'PUT', chunked(6 * MIB)));
    expect((await http('GET', `${base.api}/v1/cache/chunked`, { token: TOKEN })).status).toBe(404);
    await expectServing('chunked');
  });

  it.each(['put', 'get', 'delete'])('client API: batch/%s over the cap is 413 (with and without Content-Length)', async (op) => {
    expect413(await send(`${base.api}/v1/cache/batch/${op}`, 'POST', announced(4 * MIB + 1), { 'content-type': 'application/json' }));
    expect413(await send(`${base.api}/v1/cache/batch/${op}`, 'POST', chunked(5 * MIB), { 'content-type': 'application/json' }));
    await expectServing(`batch-${op}`);
  });

  it('management: a body over its 4 MiB cap is 413 (with and without Content-Length)', async () => {
    expect413(await send(`${base.mgmt}/evict`, 'POST', announced(4 * MIB + 1), { 'content-type': 'application/json' }));
    expect413(await send(`${base.mgmt}/evict`, 'POST', chunked(5 * MIB), { 'content-type': 'application/json' }));
    await expectServing('mgmt');
  });

  it('peer listener: a body over its 16 MiB cap is 413 (with and without Content-Length)', async () => {
    expect413(await send(`${base.dist}/internal/set`, 'POST', announced(16 * MIB + 1), { 'content-type': 'application/json' }));
    expect413(await send(`${base.dist}/internal/batch`, 'POST', chunked(17 * MIB), { 'content-type': 'application/msgpack' }));
    await expectServing('peer');
  });

  it('peer listener: a gzip bomb (32 KiB that inflates to 64 MiB) is refused at the inflated-size cap', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * MIB, 0x20));
    expect(bomb.length).toBeLessThan(MIB);
    expect413(await send(`${base.dist}/internal/set`, 'POST', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' }));
    expect413(await send(`${base.dist}/internal/batch`, 'POST', bomb, { 'content-type': 'application/msgpack', 'content-encoding': 'gzip' }));
    await expectServing('bomb');
  });
});
