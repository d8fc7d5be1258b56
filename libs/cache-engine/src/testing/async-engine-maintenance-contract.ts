import { ManualTimers } from '@hypercache/loops/testing';
import { AsyncHyperCache } from '../async-hyper-cache';
import type { AsyncHyperCacheOptions } from '../async-hyper-cache-options';
import type { Backend } from '../backends/backend';
import type { EngineLogger } from '../engine-logger';
import { asyncLoggingMiddleware } from '../middleware/logging.middleware';
import { applyMiddleware } from '../middleware/middleware';
import { asyncStatsMiddleware } from '../middleware/stats.middleware';
import { FakeClock } from './engine-test-kit';

/** Options of an engine under test (the backend is the test's own). */
type EngineOptions = Omit<AsyncHyperCacheOptions<string>, 'backend'>;

function recordingLogger(): EngineLogger & { lines: Array<{ fields: object; message: string }> } {
  const lines: Array<{ fields: object; message: string }> = [];
  const push = (fields: object, message: string) => lines.push({ fields, message });
  return { lines, debug: push, info: push, warn: push, error: push };
}

/**
 * Capacity, eviction, expiration sweeps, stats and middleware of {@link AsyncHyperCache} over a
 * backend (engine.md §3, §5, §7, §9; docs/decisions.md B13–B15). Loops run on {@link ManualTimers}
 * and passes are awaited with `idle()`: no sleeps. TTLs stay long in real time (a Redis backend
 * expires natively) while the engine clock is advanced past them.
 */
export function describeAsyncEngineMaintenanceContract(name: string, make: () => Backend<string> | Promise<Backend<string>>): void {
  describe(`AsyncHyperCache over ${name} (capacity, eviction, expiry, stats, middleware)`, () => {
    let backend: Backend<string>;
    let clock: FakeClock;
    let timers: ManualTimers;
    let engines: AsyncHyperCache<string>[];
    const engine = (o: EngineOptions = {}): AsyncHyperCache<string> => {
      const e = new AsyncHyperCache<string>({ backend, now: clock.now, timers, evictionAlgorithm: 'lru', ...o });
      engines.push(e);
      return e;
    };
    const keysOf = async (e: AsyncHyperCache<string>): Promise<string[]> => (await e.list()).map((i) => i.key).sort();
    beforeEach(async () => {
      backend = await make();
      clock = new FakeClock(Date.now());
      timers = new ManualTimers();
      engines = [];
    });
    afterEach(async () => {
      for (const e of engines) await e.stop();
    });

    it('proactive mode (interval 0): a new key at capacity first evicts the least recently read; an overwrite never evicts', async () => {
      const sut = engine({ capacity: 2, evictionIntervalMs: 0 });
      await sut.set('a', '1');
      await sut.set('b', '2');
      expect(await sut.get('a')).toBe('1');
      await sut.set('c', '3');
      expect(await keysOf(sut)).toEqual(['a', 'c']);
      await sut.set('a', '4');
      expect(await keysOf(sut)).toEqual(['a', 'c']);
      expect(await sut.count()).toBe(2);
      expect(sut.counters().evictions).toBe(1);
      expect(sut.evictionAlgorithm.name).toBe('lru');
    });

    it('the eviction loop evicts down to capacity on its interval, at most maxEvictionCount per tick, skipping victims already gone', async () => {
      const sut = engine({ capacity: 3, maxEvictionCount: 1, evictionIntervalMs: 1_000 });
      for (const k of ['k0', 'k1', 'k2', 'k3', 'k4', 'k5']) await sut.set(k, k);
      await sut.get('k0');
      expect(await backend.remove(['k1'])).toBe(1); // gone behind the engine's back: not an eviction
      sut.start();
      await timers.advance(999);
      await sut.idle();
      expect(await sut.count()).toBe(5);
      await timers.advance(1);
      await sut.idle();
      expect(await keysOf(sut)).toEqual(['k0', 'k3', 'k4', 'k5']);
      expect(sut.counters().evictions).toBe(1);
      await timers.advance(1_000);
      await sut.idle();
      expect(await keysOf(sut)).toEqual(['k0', 'k4', 'k5']);
      await timers.advance(1_000);
      await sut.idle();
      expect(await keysOf(sut)).toEqual(['k0', 'k4', 'k5']);
      expect(sut.counters().evictions).toBe(2);
      const stats = sut.getStats();
      expect(stats.item_evicted_count.Count).toBe(2);
      expect(stats.eviction_loop_count.Count).toBe(3);
      expect(stats.item_count.Values).toEqual([3, 3, 4]);
      expect(stats.evicted_item_count.Values).toEqual([0, 1, 1]);
    });

    it('setCapacity takes effect: shrinking evicts at once, growing keeps the eviction order of the tracked keys', async () => {
      const sut = engine({ capacity: 4, evictionIntervalMs: 60_000 });
      for (const k of ['a', 'b', 'c', 'd']) await sut.set(k, k);
      await sut.setCapacity(2);
      expect(await keysOf(sut)).toEqual(['c', 'd']);
      expect(sut.capacity()).toBe(2);
      expect(backend.capacity()).toBe(2);
      await sut.get('c');
      await sut.setCapacity(10);
      expect(sut.evictionAlgorithm.length).toBe(2);
      await sut.setCapacity(1);
      expect(await keysOf(sut)).toEqual(['c']);
      expect(sut.counters().evictions).toBe(3);
    });

    it('capacity bounds the count of the backend, but an engine evicts only keys it wrote or read', async () => {
      const other = engine();
      for (const k of ['x1', 'x2', 'x3']) await other.set(k, k);
      const sut = engine({ capacity: 2, evictionIntervalMs: 1_000 });
      await sut.set('mine', 'm');
      sut.triggerEviction();
      await sut.idle();
      expect(await keysOf(sut)).toEqual(['x1', 'x2', 'x3']);
      expect(sut.counters().evictions).toBe(1);
      expect(sut.evictionAlgorithm.length).toBe(0);
    });

    it('an expiration sweep (trigger or loop) removes the records expired on the engine clock and records its stats', async () => {
      const sut = engine({ expirationIntervalMs: 1_000 });
      await sut.set('short', 's', 60_000);
      await sut.set('long', 'l', 600_000);
      await sut.set('forever', 'f');
      clock.advance(60_001);
      sut.triggerExpiration();
      await sut.idle();
      expect(await keysOf(sut)).toEqual(['forever', 'long']);
      expect(sut.counters().expirations).toBe(1);
      clock.advance(540_000);
      sut.start();
      await timers.advance(1_000);
      await sut.idle();
      expect(await keysOf(sut)).toEqual(['forever']);
      const stats = sut.getStats();
      expect(sut.counters().expirations).toBe(2);
      expect(stats.item_expired_count.Count).toBe(2);
      expect(stats.expiration_loop_count.Count).toBe(2);
      expect(stats.item_count.Values).toEqual([1, 2]);
    });

    it('counts hits, misses, expired reads, evictions and expirations in one engine', async () => {
      const sut = engine({ capacity: 1, evictionIntervalMs: 0 });
      await sut.set('a', '1', 60_000);
      expect(await sut.get('a')).toBe('1');
      expect(await sut.get('nope')).toBeUndefined();
      clock.advance(60_001);
      expect(await sut.getWithInfo('a')).toBeUndefined();
      await sut.set('b', '2');
      sut.triggerExpiration();
      await sut.idle();
      expect(sut.counters()).toEqual({ hits: 1, misses: 1, expiredReads: 1, evictions: 1, expirations: 0 });
    });

    it('wraps in async stats and logging middleware: per-call stats (failures too) in the engine collector, keys logged, values never', async () => {
      const sut = engine();
      const log = recordingLogger();
      const svc = applyMiddleware<string>(sut, asyncStatsMiddleware(sut.statsCollector), asyncLoggingMiddleware(log));
      await svc.set('user:1', 'SECRET-VALUE', 60_000);
      expect(await svc.get('user:1')).toBe('SECRET-VALUE');
      expect(await svc.getOrSet('user:2', async () => 'OTHER-SECRET')).toBe('OTHER-SECRET');
      await expect(svc.set(' ', 'v')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect((await svc.getMultiple(['user:1', 'zz'])).found.size).toBe(1);
      expect(await svc.remove('user:2')).toBe(1);
      expect(await svc.count()).toBe(1);
      const stats = svc.getStats();
      expect(stats.hypercache_set_count.Count).toBe(2);
      expect(stats.hypercache_get_count.Count).toBe(1);
      expect(stats.hypercache_get_or_set_count.Count).toBe(1);
      expect(stats.hypercache_get_multiple_count.Count).toBe(1);
      expect(stats.hypercache_remove_count.Count).toBe(1);
      expect(stats.hypercache_set_duration.Min).toBeGreaterThan(0);
      expect(JSON.stringify(log.lines)).not.toContain('SECRET');
      expect(log.lines.slice(0, 4).map((l) => l.message)).toEqual(['set called', 'set took', 'get called', 'get took']);
      expect(log.lines[0].fields).toMatchObject({ op: 'set', key: 'user:1', ttl_ms: 60_000 });
      await svc.stop();
      expect(svc.getStats().hypercache_stop_count.Count).toBe(1);
    });
  });
}
