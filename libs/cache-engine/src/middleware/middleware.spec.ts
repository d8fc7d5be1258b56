import type { CacheService } from '../cache-service';
import type { EngineLogger } from '../engine-logger';
import { HistogramStatsCollector } from '../stats/histogram-stats-collector';
import { cacheOf } from '../testing/engine-test-kit';
import { loggingMiddleware } from './logging.middleware';
import { applyMiddleware, type Middleware } from './middleware';
import { statsMiddleware } from './stats.middleware';

function recordingLogger(): EngineLogger & { lines: Array<{ fields: object; message: string }> } {
  const lines: Array<{ fields: object; message: string }> = [];
  const push = (fields: object, message: string) => lines.push({ fields, message });
  return { lines, debug: push, info: push, warn: push, error: push };
}

describe(applyMiddleware.name, () => {
  it('returns the service itself when no middleware is given (zero cost)', () => {
    const svc = cacheOf();
    expect(applyMiddleware(svc)).toBe(svc);
  });

  it('wraps in order so the last middleware is the outermost', () => {
    const calls: string[] = [];
    const tag =
      (name: string): Middleware<string> =>
      (next) =>
        ({ ...bind(next), get: (k: string) => (calls.push(name), next.get(k)) }) as CacheService<string>;
    const svc = applyMiddleware<string>(cacheOf<string>(), tag('m1'), tag('m2'));
    svc.get('k');
    expect(calls).toEqual(['m2', 'm1']);
  });
});

function bind<V>(svc: CacheService<V>): CacheService<V> {
  const out: Record<string, unknown> = {};
  for (const m of ['get', 'set', 'getOrSet', 'getWithInfo', 'getMultiple', 'list', 'remove', 'clear', 'capacity', 'allocation', 'count', 'triggerEviction', 'stop', 'getStats']) {
    out[m] = (svc as unknown as Record<string, (...a: unknown[]) => unknown>)[m].bind(svc);
  }
  return out as unknown as CacheService<V>;
}

describe('loggingMiddleware', () => {
  it('logs calls and durations with keys but never values', async () => {
    const log = recordingLogger();
    const svc = applyMiddleware<string>(cacheOf<string>(), loggingMiddleware(log));
    svc.set('user:1', 'SECRET-VALUE', 10);
    svc.get('user:1');
    await svc.getOrSet('user:2', () => 'OTHER-SECRET');
    const text = JSON.stringify(log.lines);
    expect(text).not.toContain('SECRET');
    expect(log.lines.map((l) => l.message)).toEqual(['set called', 'set took', 'get called', 'get took', 'get_or_set called', 'get_or_set took']);
    expect(log.lines[0].fields).toMatchObject({ op: 'set', key: 'user:1', ttl_ms: 10 });
    expect(log.lines[1].fields).toHaveProperty('elapsed_ns');
  });

  it('passes results and errors through', () => {
    const svc = applyMiddleware<string>(cacheOf<string>(), loggingMiddleware(recordingLogger()));
    expect(() => svc.set('', 'v')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    svc.set('k', 'v');
    expect(svc.get('k')).toBe('v');
    expect(svc.count()).toBe(1);
  });
});

describe('statsMiddleware', () => {
  it('records hypercache_<op>_duration (ns) and _count per call into the collector', async () => {
    const engine = cacheOf<string>();
    const svc = applyMiddleware<string>(engine, statsMiddleware(engine.statsCollector));
    svc.set('k', 'v');
    svc.get('k');
    svc.get('k');
    svc.getWithInfo('k');
    svc.getMultiple(['k']);
    svc.list();
    svc.remove('k');
    svc.clear();
    svc.triggerEviction();
    await svc.getOrSet('k', 'v');
    await svc.stop();
    const stats = svc.getStats();
    for (const op of ['set', 'get', 'get_with_info', 'get_multiple', 'list', 'remove', 'clear', 'trigger_eviction', 'get_or_set', 'stop']) {
      expect(stats[`hypercache_${op}_count`]?.Sum).toBeGreaterThanOrEqual(1);
      expect(stats[`hypercache_${op}_duration`]?.Min).toBeGreaterThanOrEqual(0);
    }
    expect(stats.hypercache_get_count.Sum).toBe(2);
  });

  it('records failed calls too', () => {
    const collector = new HistogramStatsCollector();
    const svc = applyMiddleware<string>(cacheOf<string>(), statsMiddleware(collector));
    expect(() => svc.set(' ', 'v')).toThrow();
    expect(collector.getStats().hypercache_set_count.Count).toBe(1);
  });
});
