import type { CacheEvent } from './events';
import { HybridCache } from './hybrid-cache';
import { MemoryL2 } from './l2/memory-l2';
import { JsonSerializer } from './serializers';
import { ChaosL2 } from './testing/chaos-l2';
import { FakeClock } from './testing/fake-clock';

const MIN = 60_000;

describe('HybridCache factory and L2 timeouts (§6) on an injected clock', () => {
  function setup(extra: Record<string, unknown> = {}) {
    const clock = new FakeClock();
    const cache = new HybridCache({
      timers: clock,
      defaultEntryOptions: { duration: MIN, isFailSafeEnabled: true, failSafeMaxDuration: 10 * MIN, factorySoftTimeout: 100, factoryHardTimeout: 1_000, ...extra },
    });
    const events: CacheEvent['type'][] = [];
    cache.events().on((e) => events.push(e.type));
    return { clock, cache, events };
  }

  it('returns the stale value at the soft timeout and stores the late value in the background', async () => {
    const { clock, cache, events } = setup();
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(MIN + 1);
    let finish!: (v: string) => void;
    const r = cache.getOrSet('k', () => new Promise<string>((res) => (finish = res)));
    await clock.advance(100);
    await expect(r).resolves.toBe('v1');
    expect(events).toContain('SoftTimeoutActivated');
    finish('v2');
    await clock.advance(0);
    await expect(cache.get('k')).resolves.toMatchObject({ found: true, value: 'v2' });
    await cache.close();
  });

  it('does not store a late value when background completion is disallowed', async () => {
    const { clock, cache } = setup({ allowTimedOutFactoryBackgroundCompletion: false });
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(MIN + 1);
    let finish!: (v: string) => void;
    const r = cache.getOrSet('k', () => new Promise<string>((res) => (finish = res)));
    await clock.advance(100);
    await expect(r).resolves.toBe('v1');
    finish('v2');
    await clock.advance(0);
    await expect(cache.get('k', { allowStaleOnReadOnly: true })).resolves.toMatchObject({ value: 'v1' });
    await cache.close();
  });

  it('keeps waiting past the soft timeout without a stale value, and fails at the hard timeout with FACTORY_HARD_TIMEOUT', async () => {
    const { clock, cache, events } = setup();
    let signal!: AbortSignal;
    const r = cache.getOrSet('k', (ctx) => {
      signal = ctx.signal;
      return new Promise<string>(() => undefined);
    });
    const settled = r.catch((e: unknown) => e);
    await clock.advance(999);
    expect(events).not.toContain('SoftTimeoutActivated');
    await clock.advance(1);
    expect(await settled).toMatchObject({ code: 'FACTORY_HARD_TIMEOUT' });
    expect(signal.aborted).toBe(true);
    expect(events).toContain('HardTimeoutActivated');
    await cache.close();
  });

  it('returns the stale value at the hard timeout and discards a result arriving later', async () => {
    const { clock, cache } = setup({ factorySoftTimeout: 0 });
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(MIN + 1);
    let finish!: (v: string) => void;
    const r = cache.getOrSet('k', () => new Promise<string>((res) => (finish = res)));
    await clock.advance(1_000);
    await expect(r).resolves.toBe('v1');
    finish('late');
    await clock.advance(0);
    await expect(cache.get('k', { allowStaleOnReadOnly: true })).resolves.toMatchObject({ value: 'v1' });
    await cache.close();
  });

  it('an L2 that hangs never holds the caller beyond distributedCacheHardTimeout', async () => {
    const clock = new FakeClock();
    const l2 = new ChaosL2(new MemoryL2({ now: clock.now }));
    const cache = new HybridCache({ timers: clock, l2, serializer: new JsonSerializer(), defaultEntryOptions: { distributedCacheHardTimeout: 200 } });
    l2.mode = 'hang';
    let done = false;
    const r = cache.getOrSet('k', () => 'from-factory').then((v) => ((done = true), v));
    await clock.advance(199);
    expect(done).toBe(false);
    await clock.advance(1); // read times out → factory; the write times out too
    await clock.advance(200);
    await expect(r).resolves.toBe('from-factory');
    await cache.close();
  });

  it('an L2 read past distributedCacheSoftTimeout counts as a miss when a stale value exists (unused upstream)', async () => {
    const clock = new FakeClock();
    const l2 = new ChaosL2(new MemoryL2({ now: clock.now }));
    const cache = new HybridCache({
      timers: clock,
      l2,
      serializer: new JsonSerializer(),
      defaultEntryOptions: { duration: MIN, isFailSafeEnabled: true, failSafeMaxDuration: 10 * MIN, distributedCacheSoftTimeout: 50, distributedCacheHardTimeout: 5_000 },
    });
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(MIN + 1);
    l2.mode = 'hang';
    const r = cache.getOrSet('k', () => 'v2', { allowBackgroundDistributedCacheOperations: true });
    await clock.advance(50);
    await expect(r).resolves.toBe('v2');
    l2.release();
    await cache.close();
  });
});
