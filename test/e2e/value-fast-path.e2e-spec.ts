import { connect } from 'node:net';
import { metricSum } from '../support/node-metrics';
import { writePolicyFile } from '../support/policy-file';
import { startNode, type TestNode } from '../support/start-node';

/**
 * The client API answers a raw local GET hit and a plain PUT before fastify (apps/client-api
 * value-fast-path.ts, issue 18). A request with a query string always takes the framework's
 * route, so each pair below compares the fast answer with the framework's for the same key: byte
 * for byte (but `Date`), counted alike in `http_server_requests_total`, and denied alike.
 */

/** One raw HTTP/1.1 exchange on a fresh socket; the whole response as latin1 text, `Date` masked. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let out = '';
    s.on('data', (d: Buffer) => {
      out += d.toString('latin1');
    });
    s.on('error', reject);
    s.on('end', () => resolve(out.replace(/\r\nDate: [^\r]*\r\n/, '\r\nDate: X\r\n')));
    s.on('connect', () => s.write(request));
  });
}

const get = (path: string, headers = ''): string => `GET ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n${headers}\r\n`;
const apiPort = (n: TestNode) => n.ports.api;

describe('client API value fast path (issue 18)', () => {
  let open: TestNode;
  const value = Buffer.from([0x00, 0xff, 0x61, 0x0d, 0x0a, 0x62]);

  beforeAll(async () => {
    open = await startNode();
    for (const key of ['fp-1', 'a:b.c-d_e~f']) {
      const r = await fetch(`${open.urls.api}/v1/cache/${key}`, { method: 'PUT', body: value });
      expect(r.status).toBe(200);
    }
  });

  it('answers a local hit byte-for-byte as the framework route does (status line, headers, body)', async () => {
    for (const key of ['fp-1', 'a:b.c-d_e~f']) {
      const fast = await raw(apiPort(open), get(`/v1/cache/${key}`));
      const framework = await raw(apiPort(open), get(`/v1/cache/${key}?via=framework`));
      expect(fast).toBe(framework);
      expect(fast.startsWith('HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 6\r\nDate: X\r\nConnection: close\r\n\r\n')).toBe(true);
      expect(Buffer.from(fast.slice(fast.indexOf('\r\n\r\n') + 4), 'latin1')).toEqual(value);
    }
    // Keep-alive answers carry the same Keep-Alive header either way.
    const ka = (path: string) => raw(apiPort(open), `GET ${path} HTTP/1.1\r\nHost: t\r\n\r\nGET /v1/cache/none HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
    expect(await ka('/v1/cache/fp-1')).toBe(await ka('/v1/cache/fp-1?via=framework'));
  });

  it('counts fast answers in http_server_requests_total like framework answers', async () => {
    const count = () => metricSum(open.urls.mgmt, undefined, 'http_server_requests_total', { listener: 'api', method: 'GET', status: '200' });
    const before = await count();
    for (let i = 0; i < 5; i++) await raw(apiPort(open), get('/v1/cache/fp-1'));
    await raw(apiPort(open), get('/v1/cache/fp-1?via=framework'));
    expect((await count()) - before).toBe(6);
  });

  it('leaves misses, the JSON envelope and keys the router decodes to the framework', async () => {
    expect(await raw(apiPort(open), get('/v1/cache/absent'))).toContain('HTTP/1.1 404 Not Found');
    expect(await raw(apiPort(open), get('/v1/cache/absent'))).toContain('{"error":"key not found","code":"NOT_FOUND"}');
    const env = await raw(apiPort(open), get('/v1/cache/fp-1', 'Accept: application/json\r\n'));
    expect(env).toContain('content-type: application/json; charset=utf-8');
    expect(env).toContain('"value":"AP9hDQpi","value_encoding":"base64"');
    // `%3A` is decoded once by the router: the same item as `a:b.c-d_e~f`.
    expect(await raw(apiPort(open), get('/v1/cache/a%3Ab.c-d_e~f'))).toBe(await raw(apiPort(open), get('/v1/cache/a:b.c-d_e~f')));
    const tooLong = await raw(apiPort(open), get(`/v1/cache/${'k'.repeat(1025)}`));
    expect(tooLong).toContain('HTTP/1.1 400 Bad Request');
    expect(tooLong).toContain('"code":"BAD_REQUEST"');
  });

  it('stores a plain PUT and answers it as the framework route does, counted alike', async () => {
    const put = (path: string, body: string, type = 'application/octet-stream') =>
      `PUT ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const count = () => metricSum(open.urls.mgmt, undefined, 'http_server_requests_total', { listener: 'api', method: 'PUT', status: '200' });
    const before = await count();
    const fast = await raw(apiPort(open), put('/v1/cache/fp-put', 'héllo'));
    expect(fast).toBe(await raw(apiPort(open), put('/v1/cache/fp-put?ttl=', 'héllo')));
    expect(fast).toMatch(/^HTTP\/1\.1 200 OK\r\ncontent-type: application\/json; charset=utf-8\r\ncontent-length: \d+\r\nDate: X\r\nConnection: close\r\n\r\n\{"key":"fp-put","stored":true,"bytes":6,"node":"node-1","owners":\["node-1"\]\}$/);
    expect((await count()) - before).toBe(2);
    // An empty body and a media type with parameters (the framework's parser) store the same way.
    expect(await raw(apiPort(open), put('/v1/cache/fp-empty', ''))).toContain('"bytes":0');
    expect(await raw(apiPort(open), put('/v1/cache/fp-typed', 'abc', 'text/plain; charset=utf-8'))).toContain('"bytes":3');
    const r = await fetch(`${open.urls.api}/v1/cache/fp-put`);
    expect(Buffer.from(await r.arrayBuffer()).toString()).toBe('héllo');
  });

  it('leaves a write that arrives while draining to the drain gate (503 DRAINING)', async () => {
    const node = await startNode({ HYPERCACHE_NODE_ID: 'drained' });
    node.node.state.markDraining();
    const answer = await raw(node.ports.api, `PUT /v1/cache/k HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/octet-stream\r\nContent-Length: 1\r\n\r\nx`);
    expect(answer).toContain('HTTP/1.1 503 Service Unavailable');
    expect(answer).toContain('"code":"DRAINING"');
  });

  describe('with credentials', () => {
    let secured: TestNode;
    const READ = 'fp-read-token-0123456789';
    const WRITE = 'fp-write-token-0123456789';

    beforeAll(async () => {
      secured = await startNode({
        HYPERCACHE_AUTH_CONFIG: writePolicyFile(`tokens:\n  - { id: r, token: "${READ}", scopes: [read, write] }\n  - { id: w, token: "${WRITE}", scopes: [write] }\n`),
        HYPERCACHE_AUTH_TOKEN: 'fp-peer-token',
      });
      const r = await fetch(`${secured.urls.api}/v1/cache/fp-1`, { method: 'PUT', body: value, headers: { authorization: `Bearer ${WRITE}` } });
      expect(r.status).toBe(200);
    });

    it('serves a token with read like the framework, and leaves 401 / 403 to the auth hook', async () => {
      const auth = (t: string) => `Authorization: Bearer ${t}\r\n`;
      const fast = await raw(apiPort(secured), get('/v1/cache/fp-1', auth(READ)));
      expect(fast).toContain('HTTP/1.1 200 OK');
      expect(fast).toBe(await raw(apiPort(secured), get('/v1/cache/fp-1?via=framework', auth(READ))));

      const none = await raw(apiPort(secured), get('/v1/cache/fp-1'));
      expect(none).toContain('HTTP/1.1 401 Unauthorized');
      expect(none).toContain('www-authenticate: Bearer');
      expect(none).toContain('"code":"UNAUTHORIZED"');
      expect(await raw(apiPort(secured), get('/v1/cache/fp-1', auth('not-a-token')))).toContain('HTTP/1.1 401 Unauthorized');

      const writeOnly = await raw(apiPort(secured), get('/v1/cache/fp-1', auth(WRITE)));
      expect(writeOnly).toContain('HTTP/1.1 403 Forbidden');
      expect(writeOnly).toContain('"code":"FORBIDDEN"');

      // PUT needs `write`: served with the write token; an unknown token gets the framework's 401.
      const put = (t: string) => `PUT /v1/cache/fp-2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n${auth(t)}Content-Type: application/octet-stream\r\nContent-Length: 2\r\n\r\nok`;
      expect(await raw(apiPort(secured), put(WRITE))).toContain('HTTP/1.1 200 OK');
      expect(await raw(apiPort(secured), put('not-a-token'))).toContain('HTTP/1.1 401 Unauthorized');
    });
  });
});
