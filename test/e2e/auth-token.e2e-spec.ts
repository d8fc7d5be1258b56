import { http } from '../support/http';
import { startNode, type TestNode } from '../support/start-node';

describe('shared bearer token (HYPERCACHE_AUTH_TOKEN)', () => {
  let node: TestNode;
  const TOKEN = 'e2e-token';

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_AUTH_TOKEN: TOKEN });
  });

  it.each([
    ['PUT', '/v1/cache/k'],
    ['GET', '/v1/cache/k'],
    ['DELETE', '/v1/cache/k'],
    ['GET', '/v1/owners/k'],
    ['POST', '/v1/cache/batch/get'],
    ['POST', '/v1/cache/batch/put'],
    ['POST', '/v1/cache/batch/delete'],
  ])('%s %s without the token → 401 UNAUTHORIZED envelope', async (method, path) => {
    const r = await http(method, `${node.urls.api}${path}`, { body: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
    expect(r.status).toBe(401);
    expect(r.json()).toEqual({ error: 'unauthorized', code: 'UNAUTHORIZED' });
    expect(r.headers['www-authenticate']).toBe('Bearer');
  });

  it('HEAD without the token → 401 with no body', async () => {
    const r = await http('HEAD', `${node.urls.api}/v1/cache/k`);
    expect(r.status).toBe(401);
    expect(r.body.length).toBe(0);
  });

  it('rejects a wrong token and a token of another scheme', async () => {
    expect((await http('GET', `${node.urls.api}/v1/cache/k`, { token: 'e2e-tokeN' })).status).toBe(401);
    expect((await http('GET', `${node.urls.api}/v1/cache/k`, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
  });

  it('admits the right token', async () => {
    expect((await http('PUT', `${node.urls.api}/v1/cache/k`, { body: 'v', token: TOKEN })).status).toBe(200);
    expect((await http('GET', `${node.urls.api}/v1/cache/k`, { token: TOKEN })).text).toBe('v');
  });

  it('keeps /healthz, the OpenAPI document and Swagger UI public', async () => {
    expect((await http('GET', `${node.urls.api}/healthz`)).status).toBe(200);
    expect((await http('GET', `${node.urls.api}/v1/openapi.yaml`)).status).toBe(200);
    expect((await http('GET', `${node.urls.api}/docs`)).status).toBe(200);
  });

  it('keeps management /health public', async () => {
    expect((await http('GET', `${node.urls.mgmt}/health`)).text).toBe('ok');
  });

  it('wraps the dist listener /health in peer auth', async () => {
    const denied = await http('GET', `${node.urls.dist}/health`);
    expect(denied.status).toBe(401);
    expect(denied.json().error).toBe('unauthorized');
    const ok = await http('GET', `${node.urls.dist}/health`, { token: TOKEN });
    expect(ok.text).toBe('ok');
  });
});

describe('open mode (no token configured)', () => {
  it('admits requests without credentials', async () => {
    const node = await startNode();
    expect((await http('PUT', `${node.urls.api}/v1/cache/k`, { body: 'v' })).status).toBe(200);
    expect((await http('GET', `${node.urls.dist}/health`)).status).toBe(200);
  });
});
