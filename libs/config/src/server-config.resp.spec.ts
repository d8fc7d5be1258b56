import { ConfigError } from './errors';
import { loadServerConfig } from './server-config';

const load = (env: Record<string, string>) => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', ...env });

describe('RESP listener address (issue 19)', () => {
  it('is off when unset or empty', () => {
    expect(load({}).resp).toBeUndefined();
    expect(load({ HYPERCACHE_RESP_ADDR: ' ' }).resp).toBeUndefined();
  });

  it('parses :port and host:port', () => {
    expect(load({ HYPERCACHE_RESP_ADDR: ':6379' }).resp?.addr).toMatchObject({ host: '0.0.0.0', port: 6379 });
    expect(load({ HYPERCACHE_RESP_ADDR: '127.0.0.1:0' }).resp?.addr).toMatchObject({ host: '127.0.0.1', port: 0 });
  });

  it.each(['6379', 'host:99999', 'a:b'])('rejects HYPERCACHE_RESP_ADDR=%j naming the variable and the value', (value) => {
    let err: unknown;
    try {
      load({ HYPERCACHE_RESP_ADDR: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('HYPERCACHE_RESP_ADDR');
    expect((err as Error).message).toContain(value);
  });
});
