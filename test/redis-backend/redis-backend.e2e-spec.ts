import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { AsyncHyperCache, newItemForTest } from './kit';
import { describeAsyncEngineContract, describeBackendContract } from '@hypercache/cache-engine/testing';
import {
  BackendUnavailableError,
  RedisChannelName,
  createRedisBackend,
  type RedisBackend,
  type RedisCommandMessage,
  type RedisConnectionMessage,
} from '@hypercache/redis-backend';
import { registerCleanup } from '../support/cleanup';
import { freePort } from '../support/server-process';
import { startRedis, type RedisServer } from '../support/redis';
import { TestPki } from '../support/test-pki';
import { until } from '../support/until';

let redis: RedisServer;
let raw: Redis;
let n = 0;

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  raw.on('error', () => undefined);
  registerCleanup(() => raw.disconnect());
}, 60_000);

/** A backend under a prefix of its own (tests share one redis-server), stopped after the file. */
function backend<V = string>(o: Parameters<typeof createRedisBackend>[0] = {}): RedisBackend<V> {
  const b = createRedisBackend<V>({ url: redis.url, keyPrefix: `t${++n}:`, commandTimeoutMs: 2_000, ...o });
  registerCleanup(() => b.stop());
  return b;
}

describeBackendContract('RedisBackend', () => backend());
describeAsyncEngineContract('RedisBackend', () => backend());
describeAsyncEngineContract('RedisBackend (json serializer)', () => backend({ serializer: 'json' }));

describe('RedisBackend on a real redis-server', () => {
  it('round-trips the whole record, a Buffer value byte-exact, with a native PX TTL', async () => {
    for (const serializer of ['msgpack', 'json'] as const) {
      const prefix = `rt-${serializer}:`;
      const sut = backend<Buffer>({ keyPrefix: prefix, serializer });
      const value = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(4096)]);
      const item = { ...newItemForTest('bin', value, Date.now(), 30_000), accessCount: 7, lastAccessMs: Date.now() + 3 };
      await sut.set(item);
      const got = (await sut.get('bin'))!;
      expect(Buffer.isBuffer(got.value)).toBe(true);
      expect(got.value.equals(value)).toBe(true);
      expect(got).toEqual(item);
      const pttl = await raw.pttl(`${prefix}bin`);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(30_000);
      await sut.set({ ...item, key: 'forever', ttlMs: 0, expiresAtMs: 0 });
      expect(await raw.pttl(`${prefix}forever`)).toBe(-1);
    }
  });

  it('lets Redis expire an item natively: it leaves Redis, count and list', async () => {
    const sut = backend({ keyPrefix: 'ttl:' });
    const now = Date.now();
    await sut.set(newItemForTest('short', 'v', now, 150));
    await sut.set(newItemForTest('long', 'v', now, 600_000));
    await until(async () => (await raw.exists('ttl:short')) === 0, 10_000);
    expect(await sut.count()).toBe(1);
    expect((await sut.list([])).map((i) => i.key)).toEqual(['long']);
  });

  it('sizes values by the serializer output (engine.md §4) through AsyncHyperCache', async () => {
    const msgpack = new AsyncHyperCache<unknown>({ backend: backend<unknown>() });
    const json = new AsyncHyperCache<unknown>({ backend: backend<unknown>({ serializer: 'json' }) });
    const value = { a: [1, 2, 3], s: 'héllo' };
    expect((await json.set('k', value)).size).toBe(Buffer.byteLength(JSON.stringify(value)));
    const packed = (await msgpack.set('k', value)).size;
    expect(packed).toBeGreaterThan(0);
    expect(packed).toBeLessThan(Buffer.byteLength(JSON.stringify(value)));
    expect((await json.set('b', Buffer.from('abc'))).size).toBe(Buffer.from('abc').toString('base64').length + 2);
    expect(await msgpack.get('k')).toEqual(value);
    expect(await json.get('k')).toEqual(value);
  });

  it('counts, lists and clears only its own keys: foreign keys in the same database survive and are not counted', async () => {
    // A prefix with glob metacharacters must match literally in SCAN.
    const sut = backend({ keyPrefix: 'app*[1]:' });
    await raw.set('foreign', 'x');
    await raw.set('app1:lookalike', 'x');
    await raw.set('appX[1]:lookalike', 'x');
    await raw.lpush('other:list', 'x');
    for (const k of ['a', 'b', 'c']) await sut.set(newItemForTest(k, 'v', Date.now(), 0));
    expect(await sut.count()).toBe(3);
    expect((await sut.list([])).map((i) => i.key).sort()).toEqual(['a', 'b', 'c']);
    await sut.clear();
    expect(await sut.count()).toBe(0);
    expect(await raw.get('foreign')).toBe('x');
    expect(await raw.get('app1:lookalike')).toBe('x');
    expect(await raw.get('appX[1]:lookalike')).toBe('x');
    expect(await raw.lrange('other:list', 0, -1)).toEqual(['x']);
  });

  it('clears and counts thousands of keys (SCAN pages, DEL batches)', async () => {
    const sut = backend({ keyPrefix: 'many:' });
    const now = Date.now();
    await Promise.all(Array.from({ length: 2_500 }, (_, i) => sut.set(newItemForTest(`k${i}`, 'v', now, 0))));
    expect(await sut.count()).toBe(2_500);
    expect(await sut.remove(Array.from({ length: 1_200 }, (_, i) => `k${i}`))).toBe(1_200);
    expect((await sut.list([])).length).toBe(1_300);
    await sut.clear();
    expect(await sut.count()).toBe(0);
  });

  it('answers a key of another type or of another program under its prefix with BACKEND_ERROR, not a raw ioredis error', async () => {
    const sut = backend({ keyPrefix: 'bad:' });
    await raw.lpush('bad:list', 'x');
    await raw.set('bad:text', 'not a record');
    await expect(sut.get('list')).rejects.toMatchObject({ name: 'BackendError', code: 'BACKEND_ERROR' });
    await expect(sut.get('text')).rejects.toMatchObject({ name: 'BackendError', code: 'BACKEND_ERROR' });
  });

  it('connects with a redis:// URL carrying the password and the database', async () => {
    const secured = await startRedis({ args: ['--requirepass', 's3cret'] });
    const sut = createRedisBackend<string>({ url: `redis://:s3cret@127.0.0.1:${secured.port}/3`, keyPrefix: 'u:' });
    registerCleanup(() => sut.stop());
    await sut.set(newItemForTest('k', 'v', Date.now(), 0));
    const db3 = new Redis(secured.port, '127.0.0.1', { password: 's3cret', db: 3 });
    registerCleanup(() => db3.disconnect());
    expect(await db3.exists('u:k')).toBe(1);
    const wrong = createRedisBackend<string>({ url: `redis://:wrong@127.0.0.1:${secured.port}`, commandTimeoutMs: 300 });
    registerCleanup(() => wrong.stop());
    await expect(wrong.ping()).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });

  it('speaks TLS with a rediss:// URL and the CA it is given; plaintext to a TLS port fails fast', async () => {
    const pki = new TestPki();
    const server = pki.server();
    const tlsRedis = await startRedis({ tls: { certFile: server.certFile, keyFile: server.keyFile, caFile: pki.ca.certFile } });
    const sut = createRedisBackend<string>({ url: `rediss://127.0.0.1:${tlsRedis.port}/2`, tls: { ca: pki.ca.cert }, keyPrefix: 'tls:' });
    registerCleanup(() => sut.stop());
    await sut.set(newItemForTest('k', 'secret', Date.now(), 0));
    expect((await sut.get('k'))?.value).toBe('secret');
    const untrusted = createRedisBackend<string>({ url: `rediss://127.0.0.1:${tlsRedis.port}`, commandTimeoutMs: 300 });
    registerCleanup(() => untrusted.stop());
    await expect(untrusted.get('k')).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    const plain = createRedisBackend<string>({ url: `redis://127.0.0.1:${tlsRedis.port}`, commandTimeoutMs: 300, connectTimeoutMs: 300 });
    registerCleanup(() => plain.stop());
    await expect(plain.get('k')).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });

  it('publishes command and connection telemetry on the diagnostics channels', async () => {
    const commands: RedisCommandMessage[] = [];
    const connections: RedisConnectionMessage[] = [];
    const onCommand = (m: unknown) => commands.push(m as RedisCommandMessage);
    const onConnection = (m: unknown) => connections.push(m as RedisConnectionMessage);
    subscribe(RedisChannelName.Command, onCommand);
    subscribe(RedisChannelName.Connection, onConnection);
    try {
      const sut = backend();
      await sut.ping();
      await sut.get('nope');
      expect(connections.map((c) => c.event)).toEqual(expect.arrayContaining(['connect', 'ready']));
      expect(commands).toEqual(expect.arrayContaining([expect.objectContaining({ command: 'get', ok: true }), expect.objectContaining({ command: 'ping', ok: true })]));
      expect(commands.every((c) => c.durationMs >= 0)).toBe(true);
      await sut.stop();
      await until(() => connections.some((c) => c.event === 'close'));
    } finally {
      unsubscribe(RedisChannelName.Command, onCommand);
      unsubscribe(RedisChannelName.Connection, onConnection);
    }
  });

  it('stops idempotently; calls after stop reject BACKEND_UNAVAILABLE', async () => {
    const sut = backend();
    await sut.ping();
    expect(sut.isReady()).toBe(true);
    await Promise.all([sut.stop(), sut.stop()]);
    expect(sut.isReady()).toBe(false);
    await expect(sut.get('k')).rejects.toBeInstanceOf(BackendUnavailableError);
  });
});

describe('RedisBackend when Redis goes away', () => {
  const TIMEOUT = 500;
  /** Slack for a loaded 2-core machine on top of the command timeout. */
  const SLACK = 1_500;

  async function elapsed<T>(p: Promise<T>): Promise<{ ms: number; error: unknown }> {
    const t0 = Date.now();
    try {
      await p;
      return { ms: Date.now() - t0, error: undefined };
    } catch (error) {
      return { ms: Date.now() - t0, error };
    }
  }

  it('fails every call fast with BACKEND_UNAVAILABLE while Redis is down, and serves again after a restart on the same port (same backend)', async () => {
    const own = await startRedis();
    const sut = createRedisBackend<string>({ url: own.url, commandTimeoutMs: TIMEOUT });
    registerCleanup(() => sut.stop());
    await sut.set(newItemForTest('k', 'before', Date.now(), 0));
    await own.stop(true);
    await until(() => !sut.isReady(), 10_000);
    for (const call of [() => sut.get('k'), () => sut.set(newItemForTest('k', 'x', Date.now(), 0)), () => sut.remove(['k']), () => sut.count(), () => sut.clear(), () => sut.list([]), () => sut.ping()]) {
      const r = await elapsed(call() as Promise<unknown>);
      expect(r.error).toBeInstanceOf(BackendUnavailableError);
      expect(r.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      expect(r.ms).toBeLessThan(TIMEOUT + SLACK);
    }
    await own.start();
    await until(async () => {
      await sut.ping();
      return true;
    }, 20_000, 50);
    expect(sut.isReady()).toBe(true);
    await sut.set(newItemForTest('k', 'after', Date.now(), 0));
    expect((await sut.get('k'))?.value).toBe('after');
  });

  it('fails fast when Redis is unreachable at start, and serves once it comes up', async () => {
    const port = await freePort();
    const sut = createRedisBackend<string>({ host: '127.0.0.1', port, commandTimeoutMs: TIMEOUT });
    registerCleanup(() => sut.stop());
    const r = await elapsed(sut.get('k'));
    expect(r.error).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect(r.ms).toBeLessThan(TIMEOUT + SLACK);
    expect(sut.isReady()).toBe(false);
    await startRedis({ port });
    await until(async () => {
      await sut.ping();
      return true;
    }, 20_000, 50);
    await sut.set(newItemForTest('k', 'v', Date.now(), 0));
    expect((await sut.get('k'))?.value).toBe('v');
  });
});
