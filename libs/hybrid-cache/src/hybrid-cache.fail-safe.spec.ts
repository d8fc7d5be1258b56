import { MemoryBackplane, MemoryBackplaneHub } from './backplane/memory-backplane';
import type { CacheEvent } from './events';
import { HybridCache } from './hybrid-cache';
import { decodeEnvelope } from './entry';
import { MemoryL2 } from './l2/memory-l2';
import { JsonSerializer } from './serializers';
import { ChaosBackplane } from './testing/chaos-backplane';
import { FakeClock } from './testing/fake-clock';

const MIN = 60_000;

function setup() {
  const clock = new FakeClock();
  const l2 = new MemoryL2({ now: clock.now });
  const backplane = new ChaosBackplane(new MemoryBackplane(new MemoryBackplaneHub()));
  const cache = new HybridCache({
    timers: clock,
    l2,
    serializer: new JsonSerializer(),
    backplane,
    defaultEntryOptions: { duration: MIN, isFailSafeEnabled: true, failSafeMaxDuration: 10 * MIN, failSafeThrottleDuration: 5_000 },
  });
  const events: CacheEvent[] = [];
  cache.events().on((e) => events.push(e));
  return { clock, l2, backplane, cache, events };
}

const boom = (): never => {
  throw new Error('db down');
};

describe('HybridCache fail-safe (§6)', () => {
  it('serves the stale value when the factory fails, emitting FailSafeActivated and FactoryError', async () => {
    const { clock, cache, events } = setup();
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(MIN + 1);
    await expect(cache.getOrSet('k', boom)).resolves.toBe('v1');
    const types = events.map((e) => e.type);
    expect(types).toContain('FailSafeActivated');
    expect(types).toContain('FactoryError');
    // Upstream defect: it emitted FactorySuccess for the stale value.
    expect(types.filter((t) => t === 'FactorySuccess')).toHaveLength(1);
    await cache.close();
  });

  it('keeps the stale value fresh only for the throttle, never for the full duration (upstream stored it as fresh)', async () => {
    const { clock, cache } = setup();
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(MIN + 1);
    let calls = 0;
    const failing = (): never => {
      calls++;
      throw new Error('db down');
    };
    await expect(cache.getOrSet('k', failing)).resolves.toBe('v1');
    await clock.advance(4_000);
    await expect(cache.getOrSet('k', failing)).resolves.toBe('v1');
    expect(calls).toBe(1); // throttled: counts as fresh for 5 s
    await clock.advance(1_001);
    await expect(cache.getOrSet('k', () => 'v2')).resolves.toBe('v2'); // stale again after the throttle, not after 1 min
    await cache.close();
  });

  it('writes nothing to L2 and publishes nothing on fail-safe activation (upstream spread the stale value)', async () => {
    const { clock, cache, l2, backplane } = setup();
    await cache.getOrSet('k', () => 'v1');
    const before = decodeEnvelope((await l2.get('k'))!);
    const published = backplane.published.length;
    await clock.advance(MIN + 1);
    await expect(cache.getOrSet('k', boom)).resolves.toBe('v1');
    const after = decodeEnvelope((await l2.get('k'))!);
    expect(after.logicalExpiry).toBe(before.logicalExpiry); // still the old, now stale, envelope
    expect(after.createdAt).toBe(before.createdAt);
    expect(backplane.published.length).toBe(published);
    await cache.close();
  });

  it('uses a stale value from L2 when L1 has none, and rejects without any stale value', async () => {
    const { clock, cache, l2 } = setup();
    await cache.getOrSet('k', () => 'v1');
    const other = new HybridCache({ timers: clock, l2, serializer: new JsonSerializer(), defaultEntryOptions: { duration: MIN, isFailSafeEnabled: true, failSafeMaxDuration: 10 * MIN } });
    await clock.advance(MIN + 1);
    await expect(other.getOrSet('k', boom)).resolves.toBe('v1');
    await expect(other.getOrSet('fresh-key', boom)).rejects.toThrow('db down');
    await other.close();
    await cache.close();
  });

  it('never uses an entry past its physical expiry, and removes it from L1 (upstream kept it forever)', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock, defaultEntryOptions: { duration: MIN, isFailSafeEnabled: true, failSafeMaxDuration: 2 * MIN } });
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(MIN + 1);
    await expect(cache.getOrSet('k', boom)).resolves.toBe('v1'); // within the fail-safe window
    await clock.advance(2 * MIN);
    await expect(cache.getOrSet('k', boom)).rejects.toThrow('db down');
    expect(cache.l1Count()).toBe(0);
    await cache.close();
  });

  it('without fail-safe a failing factory rejects even with a stale value around', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock, defaultEntryOptions: { duration: MIN, failSafeMaxDuration: 0 } });
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(MIN + 1);
    await expect(cache.getOrSet('k', boom)).rejects.toThrow('db down');
    await cache.close();
  });

  it('ctx.fail() returns the stale value even without isFailSafeEnabled; ctx.skip() returns without caching', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock, defaultEntryOptions: { duration: MIN } });
    await cache.getOrSet('k', () => 'v1', { isFailSafeEnabled: true, failSafeMaxDuration: 5 * MIN });
    await clock.advance(MIN + 1);
    await expect(cache.getOrSet('k', (ctx) => ctx.fail('upstream 503'))).resolves.toBe('v1');
    await expect(cache.getOrSet('none', (ctx) => ctx.fail('upstream 503'))).rejects.toMatchObject({ code: 'FACTORY_FAILED' });
    await expect(cache.getOrSet('s', (ctx) => ctx.skip('temp'))).resolves.toBe('temp');
    await expect(cache.get('s')).resolves.toMatchObject({ found: false });
    await cache.close();
  });

  it('ctx exposes the previous value to the factory', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock, defaultEntryOptions: { duration: MIN, isFailSafeEnabled: true, failSafeMaxDuration: 5 * MIN } });
    await cache.getOrSet('n', () => 1);
    await clock.advance(MIN + 1);
    await expect(cache.getOrSet<number>('n', (ctx) => (ctx.hasStaleValue ? ctx.previousValue! + 1 : 0))).resolves.toBe(2);
    await cache.close();
  });
});
