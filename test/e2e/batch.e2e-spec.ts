import { http } from '../support/http';
import { startNode, type TestNode } from '../support/start-node';

describe('client API batch routes', () => {
  let node: TestNode;
  const post = (path: string, body: unknown) => http('POST', `${node.urls.api}/v1/cache/batch/${path}`, { body: JSON.stringify(body) });

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_NODE_ID: 'node-7' });
  });

  it('puts items as UTF-8 text or base64 and fails only the item with bad base64', async () => {
    const r = await post('put', {
      items: [
        { key: 'greet-en', value: 'hello', ttl_ms: 60_000 },
        { key: 'greet-bin', value: 'AP8A', value_encoding: 'base64' },
        { key: 'bad-b64', value: '***', value_encoding: 'base64' },
        { key: 'hex-means-text', value: 'ff', value_encoding: 'hex' },
        { key: '', value: 'x' },
        { key: 'neg', value: 'x', ttl_ms: -5 },
        { key: 'empty', value: '' },
      ],
    });
    expect(r.status).toBe(200);
    const { results, node: handledBy } = r.json();
    expect(handledBy).toBe('node-7');
    expect(results).toEqual([
      { key: 'greet-en', stored: true, bytes: 5, owners: ['node-7'] },
      { key: 'greet-bin', stored: true, bytes: 3, owners: ['node-7'] },
      { key: 'bad-b64', stored: false, error: expect.stringMatching(/^invalid base64 value:/), code: 'BAD_REQUEST' },
      { key: 'hex-means-text', stored: true, bytes: 2, owners: ['node-7'] },
      { key: '', stored: false, error: 'missing key', code: 'BAD_REQUEST' },
      { key: 'neg', stored: false, error: expect.any(String), code: 'BAD_REQUEST' },
      { key: 'empty', stored: true, owners: ['node-7'] },
    ]);
    const raw = await http('GET', `${node.urls.api}/v1/cache/greet-bin`);
    expect(raw.body.equals(Buffer.from([0x00, 0xff, 0x00]))).toBe(true);
    expect((await http('GET', `${node.urls.api}/v1/cache/bad-b64`)).status).toBe(404);
  });

  it('gets in request order with duplicates, misses carrying only key and found', async () => {
    const r = await post('get', { keys: ['greet-en', 'missing', 'greet-en', ''] });
    const { results } = r.json();
    expect(results).toHaveLength(4);
    expect(results[0]).toEqual({
      key: 'greet-en',
      found: true,
      value: Buffer.from('hello').toString('base64'),
      value_encoding: 'base64',
      ttl_ms: expect.any(Number),
      expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      version: expect.any(Number),
      origin: 'node-7',
      last_updated: expect.stringMatching(/Z$/),
      owners: ['node-7'],
    });
    expect(results[1]).toEqual({ key: 'missing', found: false });
    expect(results[2]).toEqual(results[0]);
    expect(results[3]).toEqual({ key: '', found: false });
  });

  it('deletes idempotently and reports an empty key per item', async () => {
    const r = await post('delete', { keys: ['greet-en', 'never-there', ''] });
    expect(r.json().results).toEqual([
      { key: 'greet-en', deleted: true, owners: ['node-7'] },
      { key: 'never-there', deleted: true, owners: ['node-7'] },
      { key: '', deleted: false, error: 'missing key', code: 'BAD_REQUEST' },
    ]);
    expect((await http('GET', `${node.urls.api}/v1/cache/greet-en`)).status).toBe(404);
  });

  it.each(['get', 'put', 'delete'])('%s: an empty or absent array answers results: []', async (op) => {
    expect((await post(op, {})).json().results).toEqual([]);
    expect((await post(op, op === 'put' ? { items: [] } : { keys: [] })).json().results).toEqual([]);
  });

  it('parses the body as JSON whatever the Content-Type', async () => {
    const r = await http('POST', `${node.urls.api}/v1/cache/batch/put`, {
      body: JSON.stringify({ items: [{ key: 'ct', value: 'v' }] }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(r.json().results[0].stored).toBe(true);
  });
});
