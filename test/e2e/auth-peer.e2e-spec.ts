import { http } from '../support/http';
import { writePolicyFile } from '../support/policy-file';
import { startInProcessCluster, startNode } from '../support/start-node';
import { TestIdp } from '../support/test-idp';

/**
 * auth.md §2 trap: upstream leaves the dist listener unauthenticated when only the policy file
 * (or only OIDC) configures client auth. TS: the dist listener then admits nobody.
 */
describe('dist listener when client auth is configured without a peer token', () => {
  const probes = async (dist: string) => [
    (await http('GET', `${dist}/health`)).status,
    (await http('POST', `${dist}/internal/set`, { body: '{"key":"x","value":"eA==","replicate":false}' })).status,
    (await http('GET', `${dist}/internal/get?key=x`)).status,
    (await http('POST', `${dist}/dist/drain`)).status,
  ];

  it('TS MUST: with only HYPERCACHE_AUTH_CONFIG every peer route answers 401 (upstream: open)', async () => {
    const node = await startNode({ HYPERCACHE_AUTH_CONFIG: writePolicyFile('tokens: [{ id: app, token: app-token, scopes: [read, write, admin] }]\n') });
    expect(await probes(node.urls.dist)).toEqual([401, 401, 401, 401]);
    // Client tokens are not peer credentials.
    expect((await http('GET', `${node.urls.dist}/health`, { token: 'app-token' })).status).toBe(401);
    // The client API itself works.
    expect((await http('PUT', `${node.urls.api}/v1/cache/k`, { body: 'v', token: 'app-token' })).status).toBe(200);
  });

  it('TS MUST: with only OIDC every peer route answers 401', async () => {
    const idp = await TestIdp.start('hc');
    const node = await startNode({ HYPERCACHE_OIDC_ISSUER: idp.url, HYPERCACHE_OIDC_AUDIENCE: 'hc' });
    expect(await probes(node.urls.dist)).toEqual([401, 401, 401, 401]);
    expect((await http('GET', `${node.urls.dist}/health`, { token: await idp.sign({ sub: 'a', scope: 'admin' }) })).status).toBe(401);
  });

  it('keeps open mode unchanged when nothing at all is configured', async () => {
    const node = await startNode();
    expect((await http('GET', `${node.urls.dist}/health`)).status).toBe(200);
  });
});

describe('a cluster with a policy file and a peer token', () => {
  it('replicates through peer auth while clients use the file identities', async () => {
    const env = {
      HYPERCACHE_AUTH_CONFIG: writePolicyFile('tokens: [{ id: app, token: app-token, scopes: [read, write] }]\n'),
      HYPERCACHE_AUTH_TOKEN: 'cluster-peer-token',
      HYPERCACHE_REPLICATION: '2',
    };
    const [a, b] = await startInProcessCluster(2, env);
    for (let i = 0; i < 5; i++) {
      expect((await http('PUT', `${a.urls.api}/v1/cache/k${i}`, { body: `v${i}`, token: 'app-token' })).status).toBe(200);
    }
    for (let i = 0; i < 5; i++) expect((await http('GET', `${b.urls.api}/v1/cache/k${i}`, { token: 'app-token' })).text).toBe(`v${i}`);
    expect((await http('GET', `${b.urls.api}/v1/cache/k0`, { token: 'cluster-peer-token' })).status).toBe(401);
  });
});
