import Fastify, { type FastifyInstance } from 'fastify';
import { AuthPolicy } from './auth-policy';
import { identityOf, installAuth } from './auth.hook';
import { PUBLIC_ROUTE_CONFIG, SCOPES_ROUTE_CONFIG, type RouteScopes } from './route-auth';
import { scopeMask } from './scopes';

const hookRule = (scope: 'read' | 'write' | 'admin'): RouteScopes => ({
  scopes: [scope],
  mask: scopeMask([scope]),
});

async function appWith(policy: AuthPolicy, undeclared: string[] = []): Promise<FastifyInstance> {
  const app = Fastify({ exposeHeadRoutes: false });
  installAuth(app, policy, { publicPrefixes: ['/docs'], onUndeclaredRoute: (m, u) => undeclared.push(`${m} ${u}`) });
  const who = (req: Parameters<typeof identityOf>[0]) => ({ id: identityOf(req)?.id ?? null });
  app.get('/public', { config: { [PUBLIC_ROUTE_CONFIG]: true } }, who);
  app.get('/docs/x', who);
  app.get('/read', { config: { [SCOPES_ROUTE_CONFIG]: hookRule('read') } }, who);
  app.get('/undeclared', who);
  await app.ready();
  return app;
}

const policy = new AuthPolicy({
  tokens: [
    { id: 'reader', token: 'r', scopes: ['read'] },
    { id: 'root', token: 'a', scopes: ['admin'] },
  ],
});

async function call(app: FastifyInstance, url: string, token?: string) {
  const r = await app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: r.statusCode, body: r.json(), wwwAuthenticate: r.headers['www-authenticate'] };
}

describe(installAuth.name, () => {
  it('installs nothing on public routes and public prefixes', async () => {
    const app = await appWith(policy);
    expect(await call(app, '/public')).toMatchObject({ status: 200, body: { id: null } });
    expect(await call(app, '/docs/x')).toMatchObject({ status: 200 });
  });

  it('enforces a hook route: 401 envelope + WWW-Authenticate, 403 for a missing scope, identity attached on success', async () => {
    const app = await appWith(policy);
    expect(await call(app, '/read')).toEqual({ status: 401, body: { error: 'unauthorized', code: 'UNAUTHORIZED' }, wwwAuthenticate: 'Bearer' });
    expect(await call(app, '/read', 'a')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await call(app, '/read', 'r')).toMatchObject({ status: 200, body: { id: 'reader' } });
  });

  it('fails closed on a route that declares nothing: it requires admin, and is reported', async () => {
    const undeclared: string[] = [];
    const app = await appWith(policy, undeclared);
    expect(undeclared).toEqual(['GET /undeclared']);
    expect((await call(app, '/undeclared')).status).toBe(401);
    expect((await call(app, '/undeclared', 'r')).status).toBe(403);
    expect(await call(app, '/undeclared', 'a')).toMatchObject({ status: 200, body: { id: 'root' } });
  });

  it('installs no hook in open mode; identityOf is then anonymous', async () => {
    const app = await appWith(AuthPolicy.singleToken(undefined));
    expect(await call(app, '/undeclared')).toMatchObject({ status: 200, body: { id: 'anonymous' } });
  });
});
