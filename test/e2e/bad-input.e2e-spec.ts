import { http } from '../support/http';
import { startNode, type TestNode } from '../support/start-node';

describe('client API bad input', () => {
  let node: TestNode;
  const api = (path: string) => `${node.urls.api}${path}`;

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_MAX_BODY_BYTES: '1024', HYPERCACHE_MAX_KEY_LENGTH: '64' });
  });

  it.each(['banana', '10', '1x', '5m-', '--1s'])('rejects ttl=%s with 400 BAD_REQUEST', async (ttl) => {
    const r = await http('PUT', api(`/v1/cache/k?ttl=${encodeURIComponent(ttl)}`), { body: 'x' });
    expect(r.status).toBe(400);
    expect(r.json().code).toBe('BAD_REQUEST');
    expect(r.json().error).toMatch(/^invalid ttl: /);
  });

  it('rejects a negative ttl with 400 (upstream: 500)', async () => {
    const r = await http('PUT', api('/v1/cache/k?ttl=-1s'), { body: 'x' });
    expect(r.status).toBe(400);
    expect(r.json().code).toBe('BAD_REQUEST');
  });

  it('rejects a body above the cap with 413 and the JSON error, and stores nothing', async () => {
    const r = await http('PUT', api('/v1/cache/big'), { body: Buffer.alloc(1025, 1) });
    expect(r.status).toBe(413);
    expect(r.json().code).toBe('PAYLOAD_TOO_LARGE');
    expect((await http('GET', api('/v1/cache/big'))).status).toBe(404);
    expect((await http('PUT', api('/v1/cache/big'), { body: Buffer.alloc(1024, 1) })).status).toBe(200);
  });

  it('rejects a whitespace-only key with 400 (upstream: 500)', async () => {
    const r = await http('PUT', api('/v1/cache/%20%20'), { body: 'x' });
    expect(r.status).toBe(400);
    expect(r.json().code).toBe('BAD_REQUEST');
  });

  it('rejects a key over the length limit with 400', async () => {
    const r = await http('PUT', api(`/v1/cache/${'k'.repeat(65)}`), { body: 'x' });
    expect(r.status).toBe(400);
    expect(r.json().code).toBe('BAD_REQUEST');
    const ok = await http('PUT', api(`/v1/cache/${'k'.repeat(64)}`), { body: 'x' });
    expect(ok.status).toBe(200);
  });

  it('rejects a very long URL without a 5xx', async () => {
    const r = await http('GET', api(`/v1/cache/${'k'.repeat(20_000)}`));
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });

  it.each(['PUT', 'GET', 'DELETE'])('%s without a key segment is a 4xx with the JSON error', async (method) => {
    const r = await http(method, api('/v1/cache/'), { body: method === 'PUT' ? 'x' : undefined });
    expect([400, 404]).toContain(r.status);
    expect(r.json().code).toMatch(/^(BAD_REQUEST|NOT_FOUND)$/);
  });

  it('answers malformed percent-encoding with 400, not a crash', async () => {
    const r = await http('GET', api('/v1/cache/%E0%A4%A'));
    expect(r.status).toBe(400);
    expect(r.json().code).toBe('BAD_REQUEST');
  });

  it('answers an unknown path with 404 and the JSON envelope', async () => {
    const r = await http('GET', api('/nope'));
    expect(r.status).toBe(404);
    expect(r.json().code).toBe('NOT_FOUND');
  });

  it.each([
    ['empty body', ''],
    ['not JSON', '{keys:'],
    ['wrong type', '{"keys":"a"}'],
    ['wrong element type', '{"keys":[1]}'],
  ])('batch get: %s → 400 "invalid JSON:"', async (_, body) => {
    const r = await http('POST', api('/v1/cache/batch/get'), { body, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.json().code).toBe('BAD_REQUEST');
    expect(r.json().error).toMatch(/^invalid JSON:/);
  });

  it('survives a burst of hostile requests and keeps serving', async () => {
    const hostile: Array<[string, string, string | Buffer | undefined]> = [
      ['PUT', '/v1/cache/%00', 'nul-key'],
      ['PUT', '/v1/cache/k?ttl=%ff', 'x'],
      ['PUT', '/v1/cache/k?ttl=1s&ttl=2s', 'x'],
      ['POST', '/v1/cache/batch/put', '{"items":[{"key":"x","ttl_ms":1.5}]}'],
      ['POST', '/v1/cache/batch/put', '{"items":[null]}'],
      ['POST', '/v1/cache/batch/put', '[]'],
      ['POST', '/v1/cache/batch/delete', 'null'],
      ['POST', '/v1/cache/batch/get', Buffer.from([0xff, 0xfe])],
      ['PATCH', '/v1/cache/k', 'x'],
      ['GET', '/v1/owners/%20', undefined],
      ['GET', '/v1/cache/..%2F..%2Fetc', undefined],
    ];
    for (const [method, path, body] of hostile) {
      const r = await http(method, api(path), { body });
      expect(r.status).toBeLessThan(500);
      if (method !== 'HEAD' && r.status >= 400) expect(typeof r.json().code).toBe('string');
    }
    expect((await http('GET', api('/healthz'))).status).toBe(200);
  });
});
