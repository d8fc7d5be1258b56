import { parse } from 'yaml';
import { undeclaredRoutes } from '@hypercache/auth';
import { http } from '../support/http';
import { openSse } from '../support/sse';
import { writePolicyFile } from '../support/policy-file';
import { startNode, type TestNode } from '../support/start-node';

/** One token per scope combination (auth.md §1: scopes are not hierarchical). */
const TOKENS = {
  r: ['read'],
  w: ['write'],
  a: ['admin'],
  rw: ['read', 'write'],
  rwa: ['read', 'write', 'admin'],
} as const;
type TokenName = keyof typeof TOKENS;
const secret = (name: TokenName) => `tok-${name}-0123456789`;
const PEER_TOKEN = 'peer-only-token';

const POLICY = `
tokens:
${Object.entries(TOKENS)
  .map(([name, scopes]) => `  - { id: ${name}, token: "${secret(name as TokenName)}", scopes: [${scopes.join(', ')}] }`)
  .join('\n')}
`;

type Listener = 'api' | 'mgmt';
interface RouteCase {
  listener: Listener;
  method: string;
  path: string;
  scope: 'read' | 'write' | 'admin';
  body?: string;
  /** Runs before each request (e.g. seed the key a read needs). */
  seed?: boolean;
}

/** The route → scope matrix of auth.md §7 for every protected route this build serves. */
const ROUTES: RouteCase[] = [
  { listener: 'api', method: 'GET', path: '/v1/cache/k-read', scope: 'read', seed: true },
  { listener: 'api', method: 'HEAD', path: '/v1/cache/k-read', scope: 'read', seed: true },
  { listener: 'api', method: 'PUT', path: '/v1/cache/k-put', scope: 'write', body: 'v' },
  { listener: 'api', method: 'DELETE', path: '/v1/cache/k-del', scope: 'write' },
  { listener: 'api', method: 'GET', path: '/v1/cache/keys', scope: 'read' },
  { listener: 'api', method: 'GET', path: '/v1/owners/k', scope: 'read' },
  { listener: 'api', method: 'GET', path: '/v1/topology', scope: 'read' },
  { listener: 'api', method: 'GET', path: '/v1/me', scope: 'read' },
  { listener: 'api', method: 'GET', path: '/v1/me/can?capability=cache.write', scope: 'read' },
  { listener: 'api', method: 'POST', path: '/v1/cache/batch/get', scope: 'read', body: '{"keys":["k-read"]}' },
  { listener: 'api', method: 'POST', path: '/v1/cache/batch/put', scope: 'write', body: '{"items":[{"key":"b","value":"x"}]}' },
  { listener: 'api', method: 'POST', path: '/v1/cache/batch/delete', scope: 'write', body: '{"keys":["b"]}' },
  { listener: 'mgmt', method: 'GET', path: '/stats', scope: 'read' },
  { listener: 'mgmt', method: 'GET', path: '/config', scope: 'read' },
  { listener: 'mgmt', method: 'GET', path: '/dist/metrics', scope: 'read' },
  { listener: 'mgmt', method: 'GET', path: '/dist/owners?key=k', scope: 'read' },
  { listener: 'mgmt', method: 'GET', path: '/cluster/members', scope: 'read' },
  { listener: 'mgmt', method: 'GET', path: '/cluster/ring', scope: 'read' },
  { listener: 'mgmt', method: 'GET', path: '/cluster/heartbeat', scope: 'read' },
  { listener: 'mgmt', method: 'GET', path: '/metrics', scope: 'read' },
  { listener: 'mgmt', method: 'POST', path: '/evict', scope: 'admin' },
  { listener: 'mgmt', method: 'POST', path: '/trigger-expiration', scope: 'admin' },
  { listener: 'mgmt', method: 'POST', path: '/clear', scope: 'admin' },
];

type Credential = { kind: 'none' } | { kind: 'header'; value: string; label: string } | { kind: 'token'; name: TokenName };
const CREDENTIALS: Credential[] = [
  { kind: 'none' },
  { kind: 'header', label: 'wrong token', value: 'Bearer tok-rwa-012345678X' },
  { kind: 'header', label: 'lowercase scheme', value: `bearer ${secret('rwa')}` },
  { kind: 'header', label: 'legacy AUTH_TOKEN (file governs)', value: `Bearer ${PEER_TOKEN}` },
  ...(Object.keys(TOKENS) as TokenName[]).map((name): Credential => ({ kind: 'token', name })),
];
const label = (c: Credential) => (c.kind === 'none' ? 'no credential' : c.kind === 'header' ? c.label : `token ${c.name}`);

const MATRIX = ROUTES.flatMap((route) => CREDENTIALS.map((cred) => [`${route.method} ${route.listener}${route.path}`, label(cred), route, cred] as const));

describe('route × scope matrix (policy file, auth.md §7)', () => {
  let node: TestNode;

  beforeAll(async () => {
    node = await startNode({ HYPERCACHE_AUTH_CONFIG: writePolicyFile(POLICY), HYPERCACHE_AUTH_TOKEN: PEER_TOKEN });
  });

  it.each(MATRIX)('%s with %s', async (_route, _cred, route, cred) => {
    const base = route.listener === 'api' ? node.urls.api : node.urls.mgmt;
    if (route.seed) expect((await http('PUT', `${node.urls.api}/v1/cache/k-read`, { body: 'seed', token: secret('rwa') })).status).toBe(200);
    const headers: Record<string, string> = {};
    if (cred.kind === 'header') headers.authorization = cred.value;
    if (cred.kind === 'token') headers.authorization = `Bearer ${secret(cred.name)}`;
    const r = await http(route.method, `${base}${route.path}`, { headers, body: route.body });
    const granted = cred.kind === 'token' && (TOKENS[cred.name] as readonly string[]).includes(route.scope);
    if (granted) {
      expect(r.status).toBeGreaterThanOrEqual(200);
      expect(r.status).toBeLessThan(300);
      return;
    }
    const expected = cred.kind === 'token' ? { status: 403, code: 'FORBIDDEN' } : { status: 401, code: 'UNAUTHORIZED' };
    expect(r.status).toBe(expected.status);
    if (expected.status === 401) expect(r.headers['www-authenticate']).toBe('Bearer');
    if (route.method === 'HEAD') expect(r.body.length).toBe(0);
    else expect(r.json()).toEqual({ error: expected.status === 401 ? 'unauthorized' : 'forbidden', code: expected.code });
  });

  it('has every client API and management route declare @Public() or a scope (undeclared routes would need admin)', () => {
    expect(undeclaredRoutes(node.clientApi.getHttpAdapter().getInstance())).toEqual([]);
    expect(undeclaredRoutes(node.management.getHttpAdapter().getInstance())).toEqual([]);
  });

  it('answers unknown routes 404 without looking at credentials', async () => {
    const r = await http('GET', `${node.urls.api}/v1/nope`);
    expect([r.status, r.json().code]).toEqual([404, 'NOT_FOUND']);
  });

  it('keeps public routes public, even with a wrong credential', async () => {
    const wrong = { authorization: 'Bearer nope' };
    for (const url of [`${node.urls.api}/healthz`, `${node.urls.api}/v1/openapi.yaml`, `${node.urls.api}/docs`, `${node.urls.mgmt}/health`]) {
      expect((await http('GET', url)).status).toBe(200);
      expect((await http('GET', url, { headers: wrong })).status).toBe(200);
    }
  });

  it('GET /v1/me returns the identity with its scopes and capabilities', async () => {
    const r = await http('GET', `${node.urls.api}/v1/me`, { token: secret('rw') });
    expect(r.json()).toEqual({ id: 'rw', scopes: ['read', 'write'], capabilities: ['cache.read', 'cache.write'] });
  });

  it('GET /v1/me/can answers allowed true/false with 200 and rejects bad capabilities with 400', async () => {
    const can = async (q: string) => http('GET', `${node.urls.api}/v1/me/can${q}`, { token: secret('r') });
    expect((await can('?capability=cache.read')).json()).toEqual({ capability: 'cache.read', allowed: true });
    const denied = await can('?capability=cache.admin');
    expect([denied.status, denied.json()]).toEqual([200, { capability: 'cache.admin', allowed: false }]);
    expect((await can('')).json()).toEqual({ error: "missing 'capability' query parameter", code: 'BAD_REQUEST' });
    expect((await can('?capability=cache.root')).json()).toEqual({ error: "unknown capability 'cache.root'", code: 'BAD_REQUEST' });
  });

  it('keeps the dist listener on the peer token (HYPERCACHE_AUTH_TOKEN), not on the policy file', async () => {
    expect((await http('GET', `${node.urls.dist}/health`)).status).toBe(401);
    expect((await http('GET', `${node.urls.dist}/health`, { token: secret('rwa') })).status).toBe(401);
    expect((await http('GET', `${node.urls.dist}/health`, { token: PEER_TOKEN })).status).toBe(200);
  });

  it('documents the bearer scheme on every scoped route and none on public routes', async () => {
    const doc = parse((await http('GET', `${node.urls.api}/v1/openapi.yaml`)).text);
    for (const [path, method] of [
      ['/v1/cache/{key}', 'get'],
      ['/v1/cache/{key}', 'head'],
      ['/v1/cache/{key}', 'put'],
      ['/v1/cache/{key}', 'delete'],
      ['/v1/cache/keys', 'get'],
      ['/v1/owners/{key}', 'get'],
      ['/v1/topology', 'get'],
      ['/v1/me', 'get'],
      ['/v1/me/can', 'get'],
      ['/v1/cache/batch/get', 'post'],
      ['/v1/cache/batch/put', 'post'],
      ['/v1/cache/batch/delete', 'post'],
    ]) {
      expect([path, method, doc.paths[path][method].security]).toEqual([path, method, [{ bearerAuth: [] }]]);
      expect(Object.keys(doc.paths[path][method].responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(doc.paths['/healthz'].get.security).toBeUndefined();
  });
});

describe('management routes the matrix cannot call repeatedly', () => {
  it('GET /cluster/events (SSE) needs read', async () => {
    const node = await startNode({ HYPERCACHE_AUTH_CONFIG: writePolicyFile(POLICY), HYPERCACHE_AUTH_TOKEN: PEER_TOKEN });
    const url = `${node.urls.mgmt}/cluster/events`;
    for (const [token, status] of [[undefined, 401], [secret('w'), 403], [secret('a'), 403]] as const) {
      const denied = await openSse(url, token);
      expect(denied.status).toBe(status);
      denied.close();
    }
    const stream = await openSse(url, secret('r'));
    expect(stream.status).toBe(200);
    await stream.waitFor((events) => events.some((e) => e.event === 'members'));
    stream.close();
  });

  it('GET /v1/events (SSE) needs read: 401 without a token, 403 without the read scope', async () => {
    const node = await startNode({ HYPERCACHE_AUTH_CONFIG: writePolicyFile(POLICY), HYPERCACHE_AUTH_TOKEN: PEER_TOKEN });
    const url = `${node.urls.api}/v1/events`;
    for (const [token, status, code] of [[undefined, 401, 'UNAUTHORIZED'], [secret('w'), 403, 'FORBIDDEN'], [secret('a'), 403, 'FORBIDDEN']] as const) {
      const denied = await http('GET', url, token === undefined ? {} : { token });
      expect([denied.status, denied.json().code]).toEqual([status, code]);
    }
    const stream = await openSse(url, secret('r'));
    expect(stream.status).toBe(200);
    await http('PUT', `${node.urls.api}/v1/cache/scoped`, { body: 'v', token: secret('w') });
    await stream.waitFor((events) => events.some((e) => e.event === 'set' && JSON.parse(e.data).key === 'scoped'));
    stream.close();
  });

  it('POST /dist/drain on management needs admin', async () => {
    const node = await startNode({ HYPERCACHE_AUTH_CONFIG: writePolicyFile(POLICY), HYPERCACHE_AUTH_TOKEN: PEER_TOKEN });
    expect((await http('POST', `${node.urls.mgmt}/dist/drain`)).status).toBe(401);
    expect((await http('POST', `${node.urls.mgmt}/dist/drain`, { token: secret('rw') })).json()).toEqual({ error: 'forbidden', code: 'FORBIDDEN' });
    expect((await http('POST', `${node.urls.mgmt}/dist/drain`, { token: secret('a') })).json()).toEqual({ draining: true });
  });

  it('keeps the management Swagger UI public', async () => {
    const node = await startNode({ HYPERCACHE_AUTH_CONFIG: writePolicyFile(POLICY), HYPERCACHE_AUTH_TOKEN: PEER_TOKEN });
    expect((await http('GET', `${node.urls.mgmt}/docs`)).status).toBe(200);
  });
});

describe('POST /dist/drain needs admin through the peer token', () => {
  it('401 without the peer token, 200 with it', async () => {
    const node = await startNode({ HYPERCACHE_AUTH_TOKEN: PEER_TOKEN });
    const denied = await http('POST', `${node.urls.dist}/dist/drain`);
    expect([denied.status, denied.json().code]).toEqual([401, 'UNAUTHORIZED']);
    const ok = await http('POST', `${node.urls.dist}/dist/drain`, { token: PEER_TOKEN });
    expect([ok.status, ok.json()]).toEqual([200, { draining: true }]);
  });
});

describe('anonymous access', () => {
  it('nothing configured: /v1/me is anonymous with all scopes', async () => {
    const node = await startNode();
    expect((await http('GET', `${node.urls.api}/v1/me`)).json()).toEqual({
      id: 'anonymous',
      scopes: ['read', 'write', 'admin'],
      capabilities: ['cache.read', 'cache.write', 'cache.admin'],
    });
    expect((await http('POST', `${node.urls.mgmt}/clear`)).status).toBe(200);
  });

  it('allow_anonymous: true with tokens: a valid token keeps its narrower scopes, no or a wrong credential is anonymous', async () => {
    const node = await startNode({
      HYPERCACHE_AUTH_CONFIG: writePolicyFile(`allow_anonymous: true\ntokens: [{ id: ro, token: ro-token, scopes: [read] }]\n`),
      HYPERCACHE_AUTH_TOKEN: PEER_TOKEN,
    });
    expect((await http('PUT', `${node.urls.api}/v1/cache/a`, { body: 'v', token: 'ro-token' })).status).toBe(403);
    expect((await http('PUT', `${node.urls.api}/v1/cache/a`, { body: 'v' })).status).toBe(200);
    expect((await http('GET', `${node.urls.api}/v1/me`, { token: 'wrong' })).json().id).toBe('anonymous');
  });

  it('TS MUST: a policy file with zero identities rejects every scoped route (upstream: open mode)', async () => {
    const node = await startNode({ HYPERCACHE_AUTH_CONFIG: writePolicyFile('allow_anonymous: false\n'), HYPERCACHE_AUTH_TOKEN: PEER_TOKEN });
    expect((await http('GET', `${node.urls.api}/v1/cache/x`)).status).toBe(401);
    expect((await http('GET', `${node.urls.api}/v1/me`)).status).toBe(401);
    expect((await http('GET', `${node.urls.mgmt}/stats`)).status).toBe(401);
    expect((await http('GET', `${node.urls.api}/healthz`)).status).toBe(200);
  });
});
