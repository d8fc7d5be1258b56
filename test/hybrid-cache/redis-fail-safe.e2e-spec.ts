import { HybridCache, JsonSerializer, RedisL2, type CacheEvent } from '@hypercache/hybrid-cache';
import { startRedis } from '../support/redis';
import { until } from '../support/until';
import { ready, redisClient } from './redis-client';

const boom = (): never => {
  throw new Error('db down');
};

describe('HybridCache fail-safe with a real redis-server stopped mid-test (§6)', () => {
  it('serves stale values within their window while Redis is down, never stores them as fresh, and recovers after a restart', async () => {
    const redis = await startRedis();
    const client = redisClient(redis.port);
    await ready(client);
    const options = {
      l2: new RedisL2({ client, keyPrefix: 'fs:' }),
      serializer: new JsonSerializer(),
      l2CircuitBreaker: { threshold: 2, openDurationMs: 200 },
      defaultEntryOptions: { duration: 300, isFailSafeEnabled: true, failSafeMaxDuration: 60_000, distributedCacheHardTimeout: 500 },
    };
    const cache = new HybridCache(options);
    const events: CacheEvent['type'][] = [];
    cache.events().on((e) => events.push(e.type));

    await expect(cache.getOrSet('k', () => 'v1')).resolves.toBe('v1');
    const other = new HybridCache(options); // a second app instance: reads the value through Redis
    await expect(other.get('k')).resolves.toMatchObject({ found: true, value: 'v1' });

    await redis.stop(true);
    await until(() => client.status !== 'ready', 5_000);
    await until(async () => !(await cache.get('k')).found, 5_000); // logically expired

    // Factory fails, L2 is down: the stale value comes from L1 within its fail-safe window.
    await expect(cache.getOrSet('k', boom)).resolves.toBe('v1');
    expect(events).toContain('FailSafeActivated');
    expect(events).toContain('FactoryError');
    // Never stored as fresh: with no throttle the next call runs the factory again.
    let calls = 0;
    await expect(cache.getOrSet('k', () => (calls++, boom()))).resolves.toBe('v1');
    expect(calls).toBe(1);
    // A key without any stale value fails.
    await expect(cache.getOrSet('unknown', boom)).rejects.toThrow('db down');
    // A working factory while Redis is down: served and kept in L1, the L2 write just fails.
    await expect(cache.getOrSet('k', () => 'v2')).resolves.toBe('v2');

    await redis.start();
    await until(() => client.status === 'ready', 10_000);
    await until(async () => {
      await cache.set('k', 'v3').catch(() => undefined);
      return (await other.get('k', { skipL1Read: true })).value === 'v3';
    }, 10_000, 100);
    // Stale fail-safe value was never written to Redis as fresh: Redis only ever saw v3 after the restart.
    // (binary envelope: logical expiry is the float64 at offset 9, docs/decisions.md H-rows)
    expect((await client.getBuffer('fs:k'))!.readDoubleLE(9)).toBeGreaterThan(Date.now());
    await cache.close();
    await other.close();
  });
});
