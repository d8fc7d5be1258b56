import { http } from '../support/http';
import { startNode, type TestNode } from '../support/start-node';
import { TestIdp } from '../support/test-idp';

// auth.md §2 TS MUST (docs/decisions.md U2): upstream treats OIDC-only configuration as "nothing
// configured" and runs open. This node has only the HYPERCACHE_OIDC_* variables: no policy file
// and no HYPERCACHE_AUTH_TOKEN (which alone would already close the client API).
describe('a node configured with only HYPERCACHE_OIDC_* is not open mode', () => {
  let idp: TestIdp;
  let node: TestNode;

  beforeAll(async () => {
    idp = await TestIdp.start('hc-api');
    node = await startNode({ HYPERCACHE_OIDC_ISSUER: idp.url, HYPERCACHE_OIDC_AUDIENCE: 'hc-api' });
  });

  it.each([
    ['GET', 'api', '/v1/cache/k'],
    ['PUT', 'api', '/v1/cache/k'],
    ['DELETE', 'api', '/v1/cache/k'],
    ['GET', 'api', '/v1/me'],
    ['POST', 'api', '/v1/cache/batch/get'],
    ['GET', 'mgmt', '/stats'],
    ['POST', 'mgmt', '/clear'],
  ] as const)('answers %s %s %s without a credential with 401 UNAUTHORIZED', async (method, listener, path) => {
    const body = method === 'PUT' ? 'v' : path.includes('batch') ? '{"keys":["k"]}' : undefined;
    const r = await http(method, `${node.urls[listener]}${path}`, { body });
    expect([r.status, r.json().code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('serves a caller with a valid JWT, with exactly the scopes of the token', async () => {
    const jwt = await idp.sign({ sub: 'alice', scope: 'read write' });
    expect((await http('PUT', `${node.urls.api}/v1/cache/k`, { body: 'v', token: jwt })).status).toBe(200);
    expect((await http('GET', `${node.urls.api}/v1/cache/k`, { token: jwt })).text).toBe('v');
    expect((await http('GET', `${node.urls.api}/v1/me`, { token: jwt })).json()).toMatchObject({ id: 'alice', scopes: ['read', 'write'] });
    expect((await http('POST', `${node.urls.mgmt}/clear`, { token: jwt })).status).toBe(403);
  });
});
