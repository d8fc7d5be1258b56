import { ConfigError } from './errors';
import { loadServerConfig } from './server-config';

const load = (env: Record<string, string>) => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', ...env });

function rejection(env: Record<string, string>): ConfigError {
  try {
    load(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('auth, OIDC and client API TLS settings (config.md, auth.md §2, §5, §6)', () => {
  it('leaves everything off by default', () => {
    expect(load({})).toMatchObject({ auth: { configPath: undefined, oidc: undefined }, clientApi: { tls: undefined } });
  });

  it('parses the policy file path, API TLS files and OIDC settings with their defaults', () => {
    const c = load({
      HYPERCACHE_AUTH_CONFIG: '/etc/hc/auth.yaml',
      HYPERCACHE_AUTH_TOKEN: 'peer',
      HYPERCACHE_API_TLS_CERT: '/tls/crt',
      HYPERCACHE_API_TLS_KEY: '/tls/key',
      HYPERCACHE_API_TLS_CLIENT_CA: '/tls/ca',
      HYPERCACHE_OIDC_ISSUER: 'https://idp.example/realms/x',
      HYPERCACHE_OIDC_AUDIENCE: 'hypercache',
    });
    expect(c.auth.configPath).toBe('/etc/hc/auth.yaml');
    expect(c.clientApi.tls).toEqual({ certFile: '/tls/crt', keyFile: '/tls/key', clientCaFile: '/tls/ca' });
    expect(c.auth.oidc).toEqual({ issuer: 'https://idp.example/realms/x', audience: 'hypercache', identityClaim: 'sub', scopeClaim: 'scope' });
  });

  it('takes custom OIDC claim names', () => {
    const c = load({
      HYPERCACHE_OIDC_ISSUER: 'https://idp.example',
      HYPERCACHE_OIDC_AUDIENCE: 'a',
      HYPERCACHE_OIDC_IDENTITY_CLAIM: 'email',
      HYPERCACHE_OIDC_SCOPE_CLAIM: 'roles',
      HYPERCACHE_AUTH_TOKEN: 'peer',
    });
    expect(c.auth.oidc).toMatchObject({ identityClaim: 'email', scopeClaim: 'roles' });
  });

  it.each([
    ['HYPERCACHE_API_TLS_CERT', { HYPERCACHE_API_TLS_KEY: '/k' }],
    ['HYPERCACHE_API_TLS_KEY', { HYPERCACHE_API_TLS_CERT: '/c' }],
    ['HYPERCACHE_API_TLS_CLIENT_CA', { HYPERCACHE_API_TLS_CLIENT_CA: '/ca' }],
    ['HYPERCACHE_OIDC_AUDIENCE', { HYPERCACHE_OIDC_ISSUER: 'https://idp', HYPERCACHE_AUTH_TOKEN: 'p' }],
    ['HYPERCACHE_OIDC_ISSUER', { HYPERCACHE_OIDC_AUDIENCE: 'a', HYPERCACHE_AUTH_TOKEN: 'p' }],
    ['HYPERCACHE_OIDC_ISSUER', { HYPERCACHE_OIDC_ISSUER: 'idp.example', HYPERCACHE_OIDC_AUDIENCE: 'a', HYPERCACHE_AUTH_TOKEN: 'p' }],
  ])('rejects an incomplete or malformed combination, naming %s', (variable, env) => {
    expect(rejection(env).variable).toBe(variable);
  });

  it('accepts client auth without a peer token (the dist listener then rejects every peer request, see node-auth.ts in the core)', () => {
    expect(load({ HYPERCACHE_AUTH_CONFIG: '/auth.yaml' }).auth.token).toBeUndefined();
  });
});
