import { RedisBackplane, RedisL2 } from '@hypercache/hybrid-cache';
import { backplaneConformance, l2AdapterConformance } from '@hypercache/hybrid-cache/testing';
import { startRedis, type RedisServer } from '../support/redis';
import { ready, redisClient } from './redis-client';

let redis: RedisServer;
let run = 0;

beforeAll(async () => {
  redis = await startRedis();
});
beforeEach(() => {
  run++;
});

describe('RedisL2 conformance (§11, real redis-server)', () => {
  let n = 0;
  for (const c of l2AdapterConformance(async () => {
    const client = redisClient(redis.port);
    await ready(client);
    return new RedisL2({ client, keyPrefix: `conf-${run}-${n++}:` });
  })) {
    it(c.name, c.run);
  }

  it('keeps the reference key layout: data, per-key tag set, per-tag member set', async () => {
    const client = redisClient(redis.port);
    await ready(client);
    const l2 = new RedisL2({ client, keyPrefix: 'layout:' });
    await l2.set('k', Buffer.from('v'), 10_000, ['red']);
    expect(await client.get('layout:k')).toBe('v');
    expect((await client.smembers('layout:tags:k')).sort()).toEqual(['#sha1:7a38d8cbd20d9932ba948efaa364bb62651d5ad4', 'red']);
    expect(await client.smembers('layout:tag:red')).toEqual(['layout:k']);
    expect(await client.pttl('layout:tag:red')).toBeGreaterThan(10_000);
    await l2.clear('');
    expect(await client.keys('layout:*')).toEqual([]);
  });
});

describe('RedisBackplane conformance (§9, real redis-server)', () => {
  for (const c of backplaneConformance(async () => {
    const client = redisClient(redis.port);
    await ready(client);
    return new RedisBackplane({ client, channel: `conformance-${run}` });
  })) {
    it(c.name, c.run);
  }

  it('uses the upstream wire form on the channel', async () => {
    const client = redisClient(redis.port);
    const spy = redisClient(redis.port);
    await ready(client);
    await ready(spy);
    const got: string[] = [];
    spy.on('message', (_ch: string, m: string) => got.push(m));
    await spy.subscribe('cache:backplane');
    const bp = new RedisBackplane({ client });
    await bp.publish({ type: 2, cacheName: 'default', key: 'k', sourceId: 'n1', timestamp: 5, seq: 9 });
    await new Promise<void>((resolve) => {
      const t = setInterval(() => got.length > 0 && (clearInterval(t), resolve()), 10);
    });
    expect(JSON.parse(got[0]!)).toEqual({ Type: 2, CacheName: 'default', Key: 'k', SourceID: 'n1', Timestamp: 5, Seq: 9 });
    await bp.close();
  });
});
