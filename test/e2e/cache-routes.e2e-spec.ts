import { http } from '../support/http';
import { startNode, type TestNode } from '../support/start-node';

describe('client API value routes (single node)', () => {
  let node: TestNode;
  let nowMs = Date.parse('2026-05-06T10:00:00.000Z');
  const clock = () => nowMs;

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_NODE_ID: 'node-1' }, { clock });
  });

  const api = (path: string) => `${node.urls.api}${path}`;

  it('round-trips arbitrary bytes exactly: NUL, invalid UTF-8 and high bytes', async () => {
    const value = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x41, 0xc3, 0x28, 0]);
    const put = await http('PUT', api('/v1/cache/bin'), { body: value, headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);
    expect(put.json()).toEqual({ key: 'bin', stored: true, bytes: value.length, node: 'node-1', owners: ['node-1'] });
    const get = await http('GET', api('/v1/cache/bin'));
    expect(get.status).toBe(200);
    expect(get.headers['content-type']).toBe('application/octet-stream');
    expect(get.body.equals(value)).toBe(true);
  });

  it('stores a JSON body verbatim, not re-serialised', async () => {
    const body = '{ "a" :1,  "b":[ 2 ] }';
    await http('PUT', api('/v1/cache/json'), { body, headers: { 'content-type': 'application/json' } });
    expect((await http('GET', api('/v1/cache/json'))).text).toBe(body);
  });

  it('stores a zero-length body and returns 200 with an empty body', async () => {
    const put = await http('PUT', api('/v1/cache/empty'));
    expect(put.status).toBe(200);
    expect(put.json().bytes).toBe(0);
    const get = await http('GET', api('/v1/cache/empty'));
    expect(get.status).toBe(200);
    expect(get.body.length).toBe(0);
  });

  it('stores a body without a Content-Type', async () => {
    const put = await http('PUT', api('/v1/cache/noct'), { body: Buffer.from('raw') });
    expect(put.status).toBe(200);
    expect((await http('GET', api('/v1/cache/noct'))).text).toBe('raw');
  });

  it('percent-decodes the key exactly once, so %2F addresses a key with a slash', async () => {
    await http('PUT', api('/v1/cache/a%2Fb%20c'), { body: 'v' });
    const batch = await http('POST', api('/v1/cache/batch/get'), { body: JSON.stringify({ keys: ['a/b c'] }) });
    expect(batch.json().results[0]).toMatchObject({ key: 'a/b c', found: true });
    const twice = await http('GET', api('/v1/cache/a%252Fb%2520c'));
    expect(twice.status).toBe(404);
  });

  it('echoes the requested ttl_ms and reports remaining TTL in the envelope and HEAD alike', async () => {
    const put = await http('PUT', api('/v1/cache/ttl?ttl=5m'), { body: 'world' });
    expect(put.json()).toMatchObject({ key: 'ttl', stored: true, ttl_ms: 300_000, bytes: 5 });
    nowMs += 60_000;
    const env = (await http('GET', api('/v1/cache/ttl'), { headers: { accept: 'application/json;q=0.9, */*' } })).json();
    expect(env).toEqual({
      key: 'ttl',
      value: Buffer.from('world').toString('base64'),
      value_encoding: 'base64',
      ttl_ms: 240_000,
      expires_at: '2026-05-06T10:05:00Z',
      version: expect.any(Number),
      origin: 'node-1',
      last_updated: '2026-05-06T10:00:00Z',
      node: 'node-1',
      owners: ['node-1'],
    });
    expect(env.version).toBeGreaterThanOrEqual(1);
    const head = await http('HEAD', api('/v1/cache/ttl'));
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers).toMatchObject({
      'x-cache-version': String(env.version),
      'x-cache-origin': 'node-1',
      'x-cache-last-updated': env.last_updated,
      'x-cache-ttl-ms': '240000',
      'x-cache-expires-at': env.expires_at,
      'x-cache-owners': 'node-1',
      'x-cache-node': 'node-1',
    });
  });

  it('expires at write time + TTL: reads do not extend it, and the expired key is a 404', async () => {
    await http('PUT', api('/v1/cache/short?ttl=2s'), { body: 'x' });
    nowMs += 1500;
    expect((await http('GET', api('/v1/cache/short'))).status).toBe(200);
    nowMs += 1500;
    const miss = await http('GET', api('/v1/cache/short'));
    expect(miss.status).toBe(404);
    expect(miss.json()).toEqual({ error: 'key not found', code: 'NOT_FOUND' });
  });

  it('omits ttl_ms, expires_at and the TTL headers when the item has no TTL', async () => {
    await http('PUT', api('/v1/cache/forever?ttl=0'), { body: 'x' });
    const env = (await http('GET', api('/v1/cache/forever'), { headers: { accept: 'application/json' } })).json();
    expect(env).not.toHaveProperty('ttl_ms');
    expect(env).not.toHaveProperty('expires_at');
    const head = await http('HEAD', api('/v1/cache/forever'));
    expect(head.headers['x-cache-ttl-ms']).toBeUndefined();
    expect(head.headers['x-cache-expires-at']).toBeUndefined();
  });

  it('gives every overwrite a strictly higher version', async () => {
    const versions: number[] = [];
    for (let i = 0; i < 3; i++) {
      await http('PUT', api('/v1/cache/ver'), { body: String(i) });
      versions.push(Number((await http('HEAD', api('/v1/cache/ver'))).headers['x-cache-version']));
    }
    expect(versions[1]).toBeGreaterThan(versions[0]);
    expect(versions[2]).toBeGreaterThan(versions[1]);
  });

  it('deletes idempotently with the structured response', async () => {
    await http('PUT', api('/v1/cache/gone'), { body: 'x' });
    const del = await http('DELETE', api('/v1/cache/gone'));
    expect(del.json()).toEqual({ key: 'gone', deleted: true, node: 'node-1', owners: ['node-1'] });
    expect((await http('GET', api('/v1/cache/gone'))).status).toBe(404);
    const again = await http('DELETE', api('/v1/cache/gone'));
    expect(again.status).toBe(200);
    expect(again.json().deleted).toBe(true);
  });

  it('answers HEAD of a missing key with 404 and no body', async () => {
    const head = await http('HEAD', api('/v1/cache/nope'));
    expect(head.status).toBe(404);
    expect(head.body.length).toBe(0);
  });

  it('reports owners of never-written keys', async () => {
    const r = await http('GET', api('/v1/owners/never'));
    expect(r.json()).toEqual({ key: 'never', owners: ['node-1'], node: 'node-1' });
  });

  it('answers /healthz with plain ok', async () => {
    const r = await http('GET', api('/healthz'));
    expect(r.status).toBe(200);
    expect(r.text).toBe('ok');
  });
});
