import { MemoryBackplane, MemoryBackplaneHub } from './backplane/memory-backplane';
import { CircuitBreaker } from './circuit-breaker';
import type { BreakerState, CacheEvent } from './events';
import { HybridCache } from './hybrid-cache';
import { MemoryL2 } from './l2/memory-l2';
import { JsonSerializer } from './serializers';
import { ChaosBackplane } from './testing/chaos-backplane';
import { ChaosL2 } from './testing/chaos-l2';
import { FakeClock } from './testing/fake-clock';

describe(CircuitBreaker.name, () => {
  it('opens at the threshold, goes half-open after the duration, closes on success and re-opens on failure', async () => {
    const clock = new FakeClock();
    const seen: BreakerState[] = [];
    const sut = new CircuitBreaker({ threshold: 3, openDurationMs: 1_000, timers: clock, onStateChange: (s) => seen.push(s) });
    sut.failure();
    sut.failure();
    sut.success(); // resets the count
    sut.failure();
    sut.failure();
    expect(sut.allow()).toBe(true);
    sut.failure();
    expect(sut.state).toBe('open');
    expect(sut.allow()).toBe(false);
    await clock.advance(1_000);
    expect(sut.allow()).toBe(true);
    expect(sut.state).toBe('half-open');
    sut.failure();
    expect(sut.state).toBe('open');
    await clock.advance(1_000);
    expect(sut.allow()).toBe(true);
    sut.success();
    expect(seen).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('threshold 0 never opens', () => {
    const sut = new CircuitBreaker({ threshold: 0, openDurationMs: 0, timers: new FakeClock() });
    for (let i = 0; i < 100; i++) sut.failure();
    expect(sut.allow()).toBe(true);
  });
});

describe('HybridCache circuit breakers (§8)', () => {
  it('the L2 breaker opens after failures (reads become misses, no more L2 calls), emits every transition, and closes again', async () => {
    const clock = new FakeClock();
    const l2 = new ChaosL2(new MemoryL2({ now: clock.now }));
    const cache = new HybridCache({ timers: clock, l2, serializer: new JsonSerializer(), l2CircuitBreaker: { threshold: 2, openDurationMs: 5_000 } });
    const changes: Array<Extract<CacheEvent, { type: 'L2CircuitBreakerStateChange' }>> = [];
    cache.events().on('L2CircuitBreakerStateChange', (e) => changes.push(e));
    l2.mode = 'fail';
    await expect(cache.getOrSet('a', () => 'va', { skipL1Read: true })).resolves.toBe('va'); // get + set fail → open
    expect(changes.map((c) => c.state)).toEqual(['open']);
    expect(changes[0]!.open).toBe(true);
    const callsWhenOpen = l2.calls.get('get') ?? 0;
    await expect(cache.getOrSet('b', () => 'vb')).resolves.toBe('vb');
    expect(l2.calls.get('get') ?? 0).toBe(callsWhenOpen); // short-circuited
    l2.mode = 'ok';
    await clock.advance(5_000);
    await cache.getOrSet('c', () => 'vc');
    expect(changes.map((c) => c.state)).toEqual(['open', 'half-open', 'closed']);
    expect(changes[2]!.open).toBe(false);
    await cache.close();
  });

  it('the backplane breaker opens, queues publishes while open, and on recovery drops L1 (backplaneAutoRecovery)', async () => {
    const clock = new FakeClock();
    const hub = new MemoryBackplaneHub();
    const bp = new ChaosBackplane(new MemoryBackplane(hub));
    const cache = new HybridCache({ timers: clock, backplane: bp, backplaneCircuitBreaker: { threshold: 1, openDurationMs: 1_000 }, defaultEntryOptions: { allowBackgroundBackplaneOperations: false } });
    const states: string[] = [];
    cache.events().on('BackplaneCircuitBreakerStateChange', (e) => states.push(e.state));
    bp.mode = 'fail';
    await cache.set('k', 'v');
    expect(states).toEqual(['open']);
    expect(cache.l1Count()).toBe(1);
    bp.mode = 'ok';
    await clock.advance(2_000); // retry timer fires: half-open → publish succeeds → closed → L1 dropped
    expect(states).toEqual(['open', 'half-open', 'closed']);
    expect(bp.published.map((m) => m.key)).toEqual(['k']);
    expect(cache.l1Count()).toBe(0);
    await cache.close();
  });

  it('reThrowBackplaneExceptions with a synchronous publish rejects the operation (upstream never returned it)', async () => {
    const bp = new ChaosBackplane(new MemoryBackplane());
    const cache = new HybridCache({ backplane: bp });
    bp.mode = 'fail';
    await expect(cache.set('k', 'v', { allowBackgroundBackplaneOperations: false, reThrowBackplaneExceptions: true })).rejects.toMatchObject({ code: 'BACKPLANE_ERROR' });
    await expect(cache.set('k', 'v', { allowBackgroundBackplaneOperations: false })).resolves.toBeUndefined();
    await cache.close();
  });

  it('reThrowDistributedCacheExceptions with a synchronous L2 write rejects the operation (unused upstream)', async () => {
    const l2 = new ChaosL2(new MemoryL2());
    const cache = new HybridCache({ l2, serializer: new JsonSerializer() });
    l2.mode = 'fail';
    await expect(cache.set('k', 'v', { reThrowDistributedCacheExceptions: true })).rejects.toMatchObject({ code: 'L2_ERROR' });
    await expect(cache.set('k', 'v')).resolves.toBeUndefined();
    await cache.close();
  });
});
