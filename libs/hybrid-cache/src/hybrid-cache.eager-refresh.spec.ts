import type { CacheEvent } from './events';
import { HybridCache } from './hybrid-cache';
import { FakeClock } from './testing/fake-clock';

const MIN = 60_000;

describe('HybridCache eager refresh (§5)', () => {
  it('a hit past the threshold returns at once and refreshes exactly once in the background', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock, defaultEntryOptions: { duration: 10 * MIN, eagerRefreshThreshold: 0.9 } });
    const events: CacheEvent['type'][] = [];
    cache.events().on((e) => events.push(e.type));
    let calls = 0;
    let finish!: (v: string) => void;
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(9 * MIN + 6_000); // 91 %
    const factory = (): Promise<string> => {
      calls++;
      return new Promise<string>((r) => (finish = r));
    };
    await expect(cache.getOrSet('k', factory)).resolves.toBe('v1'); // returns at once with the current value
    await expect(cache.getOrSet('k', factory)).resolves.toBe('v1'); // second hit while refreshing: no new refresh
    expect(calls).toBe(1);
    expect(events).toContain('EagerRefreshStarted');
    finish('v2');
    await clock.advance(0);
    expect(events).toContain('EagerRefreshComplete');
    await expect(cache.getOrSet('k', factory)).resolves.toBe('v2');
    expect(calls).toBe(1);
    await cache.close();
  });

  it('does not refresh below the threshold, nor on get', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock, defaultEntryOptions: { duration: 10 * MIN, eagerRefreshThreshold: 0.9 } });
    let calls = 0;
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(8 * MIN);
    await cache.getOrSet('k', () => (calls++, 'x'));
    await clock.advance(MIN + 30_000);
    await cache.get('k');
    expect(calls).toBe(0);
    await cache.close();
  });

  it('a failed refresh keeps the current value until it expires', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock, defaultEntryOptions: { duration: 10 * MIN, eagerRefreshThreshold: 0.5 } });
    await cache.getOrSet('k', () => 'v1');
    await clock.advance(6 * MIN);
    await expect(cache.getOrSet('k', () => Promise.reject(new Error('down')))).resolves.toBe('v1');
    await clock.advance(0);
    await expect(cache.get('k')).resolves.toMatchObject({ found: true, value: 'v1' });
    await cache.close();
  });
});
