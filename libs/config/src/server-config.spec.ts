import { ConfigError } from './errors';
import { DEFAULT_MAX_BODY_BYTES, loadServerConfig } from './server-config';

describe(loadServerConfig.name, () => {
  it('uses the spec defaults when nothing is set', () => {
    const c = loadServerConfig({ HYPERCACHE_NODE_ID: 'n1' });
    expect(c).toMatchObject({
      nodeId: 'n1',
      apiAddr: { host: '0.0.0.0', port: 8080, text: ':8080' },
      mgmtAddr: { port: 8081 },
      distAddr: { port: 7946 },
      logLevel: 'info',
      authToken: undefined,
      capacity: 100_000,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      shutdownTimeoutMs: 30_000,
    });
  });

  it('treats empty strings as unset', () => {
    const c = loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', HYPERCACHE_CAPACITY: '', HYPERCACHE_AUTH_TOKEN: '' });
    expect(c.capacity).toBe(100_000);
    expect(c.authToken).toBeUndefined();
  });

  it('parses addresses, levels, integers and durations', () => {
    const c = loadServerConfig({
      HYPERCACHE_NODE_ID: 'n1',
      HYPERCACHE_API_ADDR: '127.0.0.1:0',
      HYPERCACHE_MGMT_ADDR: '[::1]:9000',
      HYPERCACHE_LOG_LEVEL: 'WARNING',
      HYPERCACHE_CAPACITY: '0',
      HYPERCACHE_MAX_BODY_BYTES: '1024',
      HYPERCACHE_SHUTDOWN_TIMEOUT: '1m30s',
    });
    expect(c.apiAddr).toEqual({ host: '127.0.0.1', port: 0, text: '127.0.0.1:0' });
    expect(c.mgmtAddr.host).toBe('::1');
    expect(c.logLevel).toBe('warn');
    expect(c.capacity).toBe(0);
    expect(c.maxBodyBytes).toBe(1024);
    expect(c.shutdownTimeoutMs).toBe(90_000);
  });

  it.each([
    ['HYPERCACHE_API_ADDR', '8080'],
    ['HYPERCACHE_API_ADDR', 'host:99999'],
    ['HYPERCACHE_MGMT_ADDR', 'a:b'],
    ['HYPERCACHE_DIST_ADDR', ':-1'],
    ['HYPERCACHE_CAPACITY', 'ten'],
    ['HYPERCACHE_CAPACITY', '-5'],
    ['HYPERCACHE_CAPACITY', '1.5'],
    ['HYPERCACHE_MAX_BODY_BYTES', '0'],
    ['HYPERCACHE_LOG_LEVEL', 'loud'],
    ['HYPERCACHE_SHUTDOWN_TIMEOUT', '30'],
    ['HYPERCACHE_SHUTDOWN_TIMEOUT', '-1s'],
    ['HYPERCACHE_NODE_ID', 'a b'],
  ])('rejects %s=%j naming the variable and the value', (name, value) => {
    let err: unknown;
    try {
      loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(name);
    expect((err as ConfigError).message).toContain(name);
    expect((err as ConfigError).message).toContain(JSON.stringify(value));
  });
});
