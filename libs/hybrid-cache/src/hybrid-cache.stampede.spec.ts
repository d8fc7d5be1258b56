import { HybridCache } from './hybrid-cache';
import { LockTimeoutError } from './errors';
import { MemoryL2 } from './l2/memory-l2';
import { JsonSerializer } from './serializers';
import { FakeClock } from './testing/fake-clock';

describe('HybridCache stampede protection', () => {
  it('runs exactly one factory for 1000 concurrent getOrSet on one key, and all callers get its value', async () => {
    const cache = new HybridCache({ l2: new MemoryL2(), serializer: new JsonSerializer() });
    let calls = 0;
    const factory = async (): Promise<{ n: number }> => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: 42 };
    };
    const results = await Promise.all(Array.from({ length: 1000 }, () => cache.getOrSet('hot', factory)));
    expect(calls).toBe(1);
    expect(results.every((r) => r.n === 42)).toBe(true);
    await cache.close();
  });

  it('runs exactly 100 factories for 1000 concurrent calls spread over 100 keys', async () => {
    const cache = new HybridCache();
    const calls = new Map<string, number>();
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        cache.getOrSet(`k${i % 100}`, async (ctx) => {
          calls.set(ctx.key, (calls.get(ctx.key) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 5));
          return ctx.key;
        }),
      ),
    );
    expect(calls.size).toBe(100);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(results[357]).toBe('k57');
    await cache.close();
  });

  it('get never calls a factory and never waits for the stampede lock', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock });
    let release!: (v: string) => void;
    const pending = cache.getOrSet('k', () => new Promise<string>((r) => (release = r)));
    await expect(cache.get('k')).resolves.toEqual({ found: false, value: undefined, isStale: false });
    release('v');
    await expect(pending).resolves.toBe('v');
    await expect(cache.get('k')).resolves.toMatchObject({ found: true, value: 'v' });
    await cache.close();
  });

  it('a waiter past lockTimeout gets LOCK_TIMEOUT while the in-flight call continues and stores its result', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock });
    let release!: (v: string) => void;
    const owner = cache.getOrSet('k', () => new Promise<string>((r) => (release = r)));
    const waiter = cache.getOrSet('k', () => 'never', { lockTimeout: 100 });
    const waiterResult = waiter.catch((e: unknown) => e);
    await clock.advance(100);
    const err = await waiterResult;
    expect(err).toBeInstanceOf(LockTimeoutError);
    expect((err as LockTimeoutError).code).toBe('LOCK_TIMEOUT');
    release('late');
    await expect(owner).resolves.toBe('late');
    await expect(cache.getOrSet('k', () => 'other')).resolves.toBe('late');
    await cache.close();
  });
});
