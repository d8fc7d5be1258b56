import { parseRedisClusterNodes, resolveRedisBackendOptions, resolveRedisClusterBackendOptions } from './redis-options';

const bad = (option: string) => expect.objectContaining({ name: 'InvalidOptionError', code: 'BAD_REQUEST', option });

describe('Redis backend options', () => {
  it('fills in the defaults', () => {
    expect(resolveRedisBackendOptions({})).toEqual({
      host: '127.0.0.1',
      port: 6379,
      db: 0,
      keyPrefix: 'hypercache:',
      commandTimeoutMs: 1_000,
      connectTimeoutMs: 10_000,
      serializer: 'msgpack',
      maxRetriesPerRequest: 1,
      capacity: 0,
      username: undefined,
      password: undefined,
      tls: undefined,
    });
  });

  it('reads user, password, database and TLS from a redis:// or rediss:// URL', () => {
    expect(resolveRedisBackendOptions({ url: 'redis://app:p%40ss@cache.local:6380/4' })).toMatchObject({ host: 'cache.local', port: 6380, db: 4, username: 'app', password: 'p@ss', tls: undefined });
    expect(resolveRedisBackendOptions({ url: 'rediss://:secret@[::1]' })).toMatchObject({ host: '::1', port: 6379, db: 0, username: undefined, password: 'secret', tls: {} });
    expect(resolveRedisBackendOptions({ url: 'rediss://h', tls: { servername: 'x' } }).tls).toEqual({ servername: 'x' });
  });

  it('names the bad option, never echoing a URL password', () => {
    expect(() => resolveRedisBackendOptions({ url: 'http://h:1' })).toThrow(bad('url'));
    expect(() => resolveRedisBackendOptions({ url: 'redis://u:topsecret@h:1/x' })).toThrow(bad('url'));
    expect(() => resolveRedisBackendOptions({ url: 'redis://u:topsecret@h:1/x' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('topsecret') }));
    expect(() => resolveRedisBackendOptions({ url: 'not a url' })).toThrow(bad('url'));
    expect(() => resolveRedisBackendOptions({ url: 'redis://h', port: 1 })).toThrow(bad('url'));
    expect(() => resolveRedisBackendOptions({ port: 0 })).toThrow(bad('port'));
    expect(() => resolveRedisBackendOptions({ port: 70_000 })).toThrow(bad('port'));
    expect(() => resolveRedisBackendOptions({ host: ' ' })).toThrow(bad('host'));
    expect(() => resolveRedisBackendOptions({ db: -1 })).toThrow(bad('db'));
    expect(() => resolveRedisBackendOptions({ keyPrefix: '' })).toThrow(bad('keyPrefix'));
    expect(() => resolveRedisBackendOptions({ commandTimeoutMs: 0 })).toThrow(bad('commandTimeoutMs'));
    expect(() => resolveRedisBackendOptions({ connectTimeoutMs: 1.5 })).toThrow(bad('connectTimeoutMs'));
    expect(() => resolveRedisBackendOptions({ serializer: 'cbor' as never })).toThrow(bad('serializer'));
    expect(() => resolveRedisBackendOptions({ maxRetriesPerRequest: -1 })).toThrow(bad('maxRetriesPerRequest'));
    expect(() => resolveRedisBackendOptions({ capacity: -1 })).toThrow(bad('capacity'));
    expect(() => resolveRedisBackendOptions({ tls: 'yes' as never })).toThrow(bad('tls'));
  });

  it('parses host:port,host:port cluster seeds and rejects malformed ones by name', () => {
    expect(parseRedisClusterNodes(' a:7000, 10.0.0.2:7001 ,[::1]:7002')).toEqual([
      { host: 'a', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(() => parseRedisClusterNodes('')).toThrow(bad('nodes'));
    expect(() => parseRedisClusterNodes('a:7000,b')).toThrow(bad('nodes'));
    expect(() => parseRedisClusterNodes('a:0', 'HYPERCACHE_REDIS_CLUSTER_NODES')).toThrow(bad('HYPERCACHE_REDIS_CLUSTER_NODES'));
  });

  it('resolves cluster options from a list or a string', () => {
    expect(resolveRedisClusterBackendOptions({ nodes: 'h:1,h:2', password: 'p', tls: true })).toMatchObject({ nodes: [{ host: 'h', port: 1 }, { host: 'h', port: 2 }], password: 'p', tls: {} });
    expect(resolveRedisClusterBackendOptions({ nodes: [{ host: 'h', port: 3 }] }).nodes).toEqual([{ host: 'h', port: 3 }]);
    expect(() => resolveRedisClusterBackendOptions({ nodes: [] })).toThrow(bad('nodes'));
    expect(() => resolveRedisClusterBackendOptions({ nodes: [{ host: 'h', port: -1 }] })).toThrow(bad('nodes'));
    expect(() => resolveRedisClusterBackendOptions({} as never)).toThrow(bad('nodes'));
  });
});
