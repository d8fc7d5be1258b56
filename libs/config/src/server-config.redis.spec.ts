import { ConfigError } from './errors';
import { loadServerConfig } from './server-config';

const base = { HYPERCACHE_NODE_ID: 'n1' };

function issueOf(env: Record<string, string>): { variable: string; value: string } {
  try {
    loadServerConfig({ ...base, ...env });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues[0];
  }
  throw new Error('expected a ConfigError');
}

describe('loadServerConfig: Redis backends (issue 15)', () => {
  it('defaults to the in-memory cluster', () => {
    expect(loadServerConfig(base).backend).toEqual({ kind: 'memory' });
  });

  it('parses HYPERCACHE_BACKEND=redis with its URL, key prefix and command timeout', () => {
    const c = loadServerConfig({ ...base, HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: 'rediss://app:s3cret@cache.internal:6380/2' });
    expect(c.backend).toEqual({ kind: 'redis', url: 'rediss://app:s3cret@cache.internal:6380/2', keyPrefix: 'hypercache:', commandTimeoutMs: 1_000 });
    const d = loadServerConfig({ ...base, HYPERCACHE_BACKEND: 'REDIS', HYPERCACHE_REDIS_URL: 'redis://127.0.0.1', HYPERCACHE_REDIS_KEY_PREFIX: 'app1:', HYPERCACHE_REDIS_TIMEOUT: '250ms' });
    expect(d.backend).toMatchObject({ kind: 'redis', keyPrefix: 'app1:', commandTimeoutMs: 250 });
  });

  it('parses HYPERCACHE_BACKEND=redis-cluster with its nodes, password and TLS', () => {
    const c = loadServerConfig({
      ...base,
      HYPERCACHE_BACKEND: 'redis-cluster',
      HYPERCACHE_REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, [::1]:7001 ',
      HYPERCACHE_REDIS_PASSWORD: 'pw',
      HYPERCACHE_REDIS_TLS: 'true',
    });
    expect(c.backend).toEqual({
      kind: 'redis-cluster',
      nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '::1', port: 7001 }],
      password: 'pw',
      tls: true,
      keyPrefix: 'hypercache:',
      commandTimeoutMs: 1_000,
    });
  });

  it.each([
    [{ HYPERCACHE_BACKEND: 'postgres' }, 'HYPERCACHE_BACKEND'],
    [{ HYPERCACHE_BACKEND: 'redis' }, 'HYPERCACHE_REDIS_URL'],
    [{ HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: 'http://127.0.0.1:6379' }, 'HYPERCACHE_REDIS_URL'],
    [{ HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: 'redis://127.0.0.1:6379/x' }, 'HYPERCACHE_REDIS_URL'],
    [{ HYPERCACHE_BACKEND: 'redis-cluster' }, 'HYPERCACHE_REDIS_CLUSTER_NODES'],
    [{ HYPERCACHE_BACKEND: 'redis-cluster', HYPERCACHE_REDIS_CLUSTER_NODES: '10.0.0.1' }, 'HYPERCACHE_REDIS_CLUSTER_NODES'],
    [{ HYPERCACHE_BACKEND: 'redis-cluster', HYPERCACHE_REDIS_CLUSTER_NODES: '10.0.0.1:70000' }, 'HYPERCACHE_REDIS_CLUSTER_NODES'],
    [{ HYPERCACHE_REDIS_TLS: 'yes' }, 'HYPERCACHE_REDIS_TLS'],
    [{ HYPERCACHE_REDIS_TIMEOUT: '5 seconds' }, 'HYPERCACHE_REDIS_TIMEOUT'],
    [{ HYPERCACHE_REDIS_TIMEOUT: '0' }, 'HYPERCACHE_REDIS_TIMEOUT'],
  ])('rejects %j naming %s', (env, variable) => {
    expect(issueOf(env).variable).toBe(variable);
  });

  it('never echoes a Redis password: the variable is redacted, a URL password masked', () => {
    const bad = issueOf({ HYPERCACHE_BACKEND: 'redis', HYPERCACHE_REDIS_URL: 'redis://app:hunter2@127.0.0.1:6379/db' });
    expect(bad.variable).toBe('HYPERCACHE_REDIS_URL');
    expect(bad.value).not.toContain('hunter2');
    expect(bad.value).toContain('127.0.0.1');
  });
});
