import { OidcVerifier } from '@hypercache/auth';
import { http } from '../support/http';
import { writePolicyFile } from '../support/policy-file';
import { startNode, type TestNode } from '../support/start-node';
import { TestIdp } from '../support/test-idp';

const PEER_TOKEN = 'peer-token';

describe('OIDC JWT bearer (auth.md §5) against a local IdP', () => {
  let idp: TestIdp;
  let node: TestNode;
  const me = (jwt: string) => http('GET', `${node.urls.api}/v1/me`, { token: jwt });

  beforeAll(async () => {
    idp = await TestIdp.start('hc-api');
    node = await startNode({
      HYPERCACHE_OIDC_ISSUER: idp.url,
      HYPERCACHE_OIDC_AUDIENCE: 'hc-api',
      HYPERCACHE_AUTH_TOKEN: PEER_TOKEN,
    });
  });

  it('applies the scopes of a valid token', async () => {
    const jwt = await idp.sign({ sub: 'alice', scope: 'read write openid' });
    expect((await me(jwt)).json()).toEqual({ id: 'alice', scopes: ['read', 'write'], capabilities: ['cache.read', 'cache.write'] });
    expect((await http('PUT', `${node.urls.api}/v1/cache/j`, { body: 'v', token: jwt })).status).toBe(200);
    expect((await http('GET', `${node.urls.api}/v1/cache/j`, { token: jwt })).text).toBe('v');
    expect((await http('POST', `${node.urls.mgmt}/clear`, { token: jwt })).status).toBe(403);
  });

  it('accepts a scope array and answers 403 for a scope it lacks', async () => {
    const jwt = await idp.sign({ sub: 'ingest', scope: ['write'] });
    expect((await http('PUT', `${node.urls.api}/v1/cache/w`, { body: 'v', token: jwt })).status).toBe(200);
    const r = await http('GET', `${node.urls.api}/v1/cache/w`, { token: jwt });
    expect([r.status, r.json().code]).toEqual([403, 'FORBIDDEN']);
  });

  it('authenticates a token without scopes but forbids every scoped route', async () => {
    expect((await me(await idp.sign({ sub: 'nobody' }))).status).toBe(403);
  });

  it.each([
    ['a wrong audience', () => idp.sign({ sub: 'a', scope: 'read' }, { audience: 'someone-else' })],
    ['a wrong issuer', () => idp.sign({ sub: 'a', scope: 'read' }, { issuer: 'http://evil.example' })],
    ['an expired token', () => idp.sign({ sub: 'a', scope: 'read' }, { expiresAt: Math.floor(Date.now() / 1000) - 60 })],
    ['a token not yet valid (nbf)', () => idp.sign({ sub: 'a', scope: 'read' }, { notBefore: Math.floor(Date.now() / 1000) + 600 })],
    ['a bad signature (published kid, foreign key)', async () => idp.sign({ sub: 'a', scope: 'read' }, { foreignKey: await TestIdp.foreignKey() })],
    ['an unknown kid', async () => idp.sign({ sub: 'a', scope: 'read' }, { kid: 'no-such-kid', foreignKey: await TestIdp.foreignKey() })],
    ['a numeric identity claim', () => idp.sign({ sub: 42 as never, scope: 'read' })],
    ['a tampered payload', async () => {
      const [h, , s] = (await idp.sign({ sub: 'a', scope: 'read' })).split('.');
      return `${h}.${Buffer.from(JSON.stringify({ sub: 'a', scope: 'read admin', aud: 'hc-api', iss: idp.url, exp: 9e9 })).toString('base64url')}.${s}`;
    }],
    ['garbage', async () => 'not-a-jwt'],
  ])('rejects %s with 401', async (_name, make) => {
    const r = await me(await make());
    expect(r.status).toBe(401);
    expect(r.json()).toEqual({ error: 'unauthorized', code: 'UNAUTHORIZED' });
    expect(r.headers['www-authenticate']).toBe('Bearer');
  });

  it('picks up key rotation: a token signed by a newly published key verifies after one JWKS refetch', async () => {
    expect((await me(await idp.sign({ sub: 'before', scope: 'read' }))).status).toBe(200);
    const fetches = idp.jwksFetches;
    await idp.rotate(true);
    const r = await me(await idp.sign({ sub: 'after', scope: 'read' }));
    expect([r.status, r.json().id]).toEqual([200, 'after']);
    expect(idp.jwksFetches).toBe(fetches + 1);
  });

  it('TS MUST: OIDC-only is not open mode: no credential → 401 (upstream: anonymous with all scopes)', async () => {
    expect((await http('GET', `${node.urls.api}/v1/cache/j`)).status).toBe(401);
    expect((await http('GET', `${node.urls.api}/v1/me`)).status).toBe(401);
    expect((await http('GET', `${node.urls.mgmt}/stats`)).status).toBe(401);
  });

  it('keeps the dist listener on the peer token', async () => {
    expect((await http('GET', `${node.urls.dist}/health`, { token: await idp.sign({ sub: 'a', scope: 'read write admin' }) })).status).toBe(401);
    expect((await http('GET', `${node.urls.dist}/health`, { token: PEER_TOKEN })).status).toBe(200);
  });
});

describe('static tokens and JWTs side by side', () => {
  it('resolves a static token first and falls through to the JWT verifier otherwise', async () => {
    const idp = await TestIdp.start('hc-api');
    const node = await startNode({
      HYPERCACHE_AUTH_CONFIG: writePolicyFile('tokens: [{ id: svc, token: svc-token, scopes: [admin] }]\n'),
      HYPERCACHE_OIDC_ISSUER: idp.url,
      HYPERCACHE_OIDC_AUDIENCE: 'hc-api',
      HYPERCACHE_OIDC_IDENTITY_CLAIM: 'email',
      HYPERCACHE_OIDC_SCOPE_CLAIM: 'roles',
      HYPERCACHE_AUTH_TOKEN: PEER_TOKEN,
    });
    expect((await http('POST', `${node.urls.mgmt}/evict`, { token: 'svc-token' })).status).toBe(202);
    const jwt = await idp.sign({ sub: 'ignored', email: 'bob@example.com', roles: ['read'] });
    expect((await http('GET', `${node.urls.api}/v1/me`, { token: jwt })).json().id).toBe('bob@example.com');
    expect((await http('GET', `${node.urls.api}/v1/me`, { token: 'svc-token' })).status).toBe(403);
  });
});

describe('OidcVerifier cache of verified tokens', () => {
  it('verifies a token once, reuses the identity until the cache age or exp, and never caches failures', async () => {
    const idp = await TestIdp.start('hc-api');
    let now = Date.now();
    const sut = await OidcVerifier.create({ issuer: idp.url, audience: 'hc-api', verifiedCacheMs: 60_000, now: () => now });
    const expSec = Math.floor(now / 1000) + 120;
    const jwt = `Bearer ${await idp.sign({ sub: 'c', scope: 'read' }, { expiresAt: expSec })}`;
    expect((await sut.verify(jwt))?.id).toBe('c');
    expect((await sut.verify(jwt))?.id).toBe('c');
    expect(sut.verifications).toBe(1);
    now += 61_000; // past the cache age: verified again
    expect((await sut.verify(jwt))?.id).toBe('c');
    expect(sut.verifications).toBe(2);
    now = expSec * 1000 + 1; // past exp by the injected clock: the cached entry is not used
    await sut.verify(jwt);
    expect(sut.verifications).toBe(3);

    const bad = `Bearer ${await idp.sign({ sub: 'c', scope: 'read' }, { audience: 'other' })}`;
    expect(await sut.verify(bad)).toBeUndefined();
    expect(await sut.verify(bad)).toBeUndefined();
    expect(sut.verifications).toBe(5);
  });
});
