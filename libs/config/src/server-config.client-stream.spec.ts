import { ConfigError } from './errors';
import { advertisedApiUrl, loadServerConfig } from './server-config';

const load = (env: Record<string, string>) => loadServerConfig({ HYPERCACHE_NODE_ID: 'n1', ...env });

describe('topology and key-change stream settings (issue 17)', () => {
  it('defaults: no advertised address, a 10000-event buffer, a 5 s heartbeat, a 4 MiB subscriber queue', () => {
    const c = load({});
    expect(c.clientApi.advertiseAddr).toBeUndefined();
    expect(c.events).toEqual({ bufferEvents: 10_000, heartbeatMs: 5_000, queueBytes: 4 * 1024 * 1024 });
  });

  it('parses HYPERCACHE_API_ADVERTISE_ADDR, HYPERCACHE_EVENTS_BUFFER, _HEARTBEAT and _QUEUE', () => {
    const c = load({ HYPERCACHE_API_ADVERTISE_ADDR: 'cache-0.example:443', HYPERCACHE_EVENTS_BUFFER: '50', HYPERCACHE_EVENTS_HEARTBEAT: '250ms', HYPERCACHE_EVENTS_QUEUE: '64KiB' });
    expect(c.clientApi.advertiseAddr).toBe('cache-0.example:443');
    expect(c.events).toEqual({ bufferEvents: 50, heartbeatMs: 250, queueBytes: 65_536 });
    expect(load({ HYPERCACHE_API_ADVERTISE_ADDR: '[::1]:8080' }).clientApi.advertiseAddr).toBe('[::1]:8080');
  });

  it.each([
    ['HYPERCACHE_API_ADVERTISE_ADDR', 'cache-0'],
    ['HYPERCACHE_API_ADVERTISE_ADDR', ':8080'],
    ['HYPERCACHE_API_ADVERTISE_ADDR', '0.0.0.0:8080'],
    ['HYPERCACHE_API_ADVERTISE_ADDR', '[::]:8080'],
    ['HYPERCACHE_API_ADVERTISE_ADDR', 'host:0'],
    ['HYPERCACHE_API_ADVERTISE_ADDR', 'http://host:8080'],
    ['HYPERCACHE_EVENTS_BUFFER', '0'],
    ['HYPERCACHE_EVENTS_BUFFER', 'many'],
    ['HYPERCACHE_EVENTS_HEARTBEAT', '0s'],
    ['HYPERCACHE_EVENTS_HEARTBEAT', '5'],
    ['HYPERCACHE_EVENTS_QUEUE', '100'],
    ['HYPERCACHE_EVENTS_QUEUE', 'lots'],
  ])('rejects %s=%j naming the variable and the value', (name, value) => {
    let err: unknown;
    try {
      load({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(name);
    expect((err as ConfigError).message).toContain(JSON.stringify(value));
  });

  it.each([
    [{ HYPERCACHE_API_ADDR: '10.0.0.5:8080' }, 'http://10.0.0.5:8080'],
    [{ HYPERCACHE_API_ADDR: ':8080', HYPERCACHE_DIST_ADDR: 'cache-1.svc:7946' }, 'http://cache-1.svc:8080'],
    [{ HYPERCACHE_API_ADDR: '0.0.0.0:9000', HYPERCACHE_DIST_ADDR: '10.1.2.3:7946' }, 'http://10.1.2.3:9000'],
    [{ HYPERCACHE_API_ADDR: '[::]:9000', HYPERCACHE_DIST_ADDR: '[fd00::7]:7946' }, 'http://[fd00::7]:9000'],
    [{ HYPERCACHE_API_ADDR: ':8080', HYPERCACHE_API_ADVERTISE_ADDR: 'lb.example:80' }, 'http://lb.example:80'],
  ])('derives the advertised API URL from %j', (env, url) => {
    expect(advertisedApiUrl(load(env))).toBe(url);
  });

  it('uses https when the API has TLS, and the bound port when the listener asked for port 0', () => {
    const c = load({ HYPERCACHE_API_ADDR: '127.0.0.1:0', HYPERCACHE_API_TLS_CERT: '/c.pem', HYPERCACHE_API_TLS_KEY: '/k.pem' });
    expect(advertisedApiUrl(c, 43_210)).toBe('https://127.0.0.1:43210');
  });
});
