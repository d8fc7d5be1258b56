import { DEFAULT_ENTRY_OPTIONS, CachePriority } from './entry-options';
import { HybridCache } from './hybrid-cache';
import { EngineL1 } from './l1/engine-l1';
import { MemoryL2 } from './l2/memory-l2';
import { JsonSerializer, MsgpackSerializer } from './serializers';
import { FakeClock } from './testing/fake-clock';
import { MemoryBackplane } from './backplane/memory-backplane';

describe('HybridCache options (§2, §3)', () => {
  it('rejects an L2 without a serializer, and nonsense options naming the option', () => {
    expect(() => new HybridCache({ l2: new MemoryL2() })).toThrow('cache: an L2 adapter requires a Serializer');
    expect(() => new HybridCache({ defaultEntryOptions: { duration: -1 } })).toThrow(/^duration/);
    expect(() => new HybridCache({ defaultEntryOptions: { duration: 60_000, failSafeMaxDuration: 1_000 } })).toThrow(/^failSafeMaxDuration/);
    expect(() => new HybridCache({ l1: { maxEntries: -5 } })).toThrow(/^l1\.maxEntries/);
    expect(() => new HybridCache({ l2CircuitBreaker: { threshold: 3, openDurationMs: 0 } })).toThrow(/^l2CircuitBreaker\.openDurationMs/);
  });

  it('a partial defaultEntryOptions is merged over the defaults, not zeroing them (upstream trap)', () => {
    const cache = new HybridCache({ defaultEntryOptions: { duration: 1_000 } });
    const d = cache.defaultEntryOptions();
    expect(d.duration).toBe(1_000);
    expect(d.allowTimedOutFactoryBackgroundCompletion).toBe(true);
    expect(d.allowBackgroundBackplaneOperations).toBe(true);
    expect(d.reThrowSerializationExceptions).toBe(true);
    d.duration = 5;
    expect(cache.defaultEntryOptions().duration).toBe(1_000);
    expect(DEFAULT_ENTRY_OPTIONS.duration).toBe(300_000);
  });

  it('a failing backplane subscription fails create()', async () => {
    const bp = new MemoryBackplane();
    bp.subscribe = () => Promise.reject(new Error('no subscribe'));
    await expect(HybridCache.create({ backplane: bp })).rejects.toThrow('no subscribe');
  });

  it('adaptive caching: the factory changes duration and tags through its context, applied on success', async () => {
    const clock = new FakeClock();
    const cache = new HybridCache({ timers: clock });
    await cache.getOrSet('k', (ctx) => {
      ctx.options.duration = 10_000;
      ctx.options.tags = ['late-tag'];
      return 'v';
    });
    await clock.advance(9_999);
    await expect(cache.get('k')).resolves.toMatchObject({ found: true });
    await cache.deleteByTag('late-tag');
    await expect(cache.get('k')).resolves.toMatchObject({ found: false });
    await cache.close();
  });

  it('skipL2ReadWhenStale skips L2 when L1 holds a stale entry (unused upstream)', async () => {
    const clock = new FakeClock();
    const l2 = new MemoryL2({ now: clock.now });
    const a = new HybridCache({ timers: clock, l2, serializer: new JsonSerializer(), defaultEntryOptions: { duration: 1_000, isFailSafeEnabled: true, failSafeMaxDuration: 60_000 } });
    const b = new HybridCache({ timers: clock, l2, serializer: new JsonSerializer(), defaultEntryOptions: { duration: 1_000, isFailSafeEnabled: true, failSafeMaxDuration: 60_000 } });
    await a.set('k', 'v1');
    await b.get('k');
    await clock.advance(1_001);
    await a.set('k', 'v2', { skipBackplaneNotifications: true });
    await expect(b.getOrSet('k', () => 'factory', { skipL2ReadWhenStale: true })).resolves.toBe('factory');
    await expect(b.getOrSet('other', () => 'x')).resolves.toBe('x');
    await a.close();
    await b.close();
  });

  it('reThrowSerializationExceptions rejects a write whose value cannot be serialized; off, L2 is skipped', async () => {
    const cache = new HybridCache({ l2: new MemoryL2(), serializer: new JsonSerializer() });
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    await expect(cache.set('c', cyclic)).rejects.toMatchObject({ code: 'SERIALIZATION' });
    await expect(cache.set('c', cyclic, { reThrowSerializationExceptions: false, size: 10 })).resolves.toBeUndefined();
    await cache.close();
  });

  it('L1 keeps live objects; enableAutoClone returns deep copies', async () => {
    const cache = new HybridCache({ serializer: new MsgpackSerializer() });
    const obj = { n: 1, at: new Date(0) };
    await cache.set('o', obj);
    expect((await cache.get('o')).value).toBe(obj);
    const cloned = (await cache.get<typeof obj>('o', { enableAutoClone: true })).value!;
    expect(cloned).not.toBe(obj);
    expect(cloned).toEqual(obj);
    await cache.close();
  });

  it('L1 is bounded by entries and by bytes by default; NeverRemove entries stay', async () => {
    const l1 = new EngineL1({ maxEntries: 100, maxBytes: 10_000 });
    const cache = new HybridCache({ l1 });
    await cache.set('pinned', 'p', { priority: CachePriority.NeverRemove });
    for (let i = 0; i < 500; i++) await cache.set(`k${i}`, 'x'.repeat(10));
    expect(l1.count()).toBeLessThanOrEqual(101);
    for (let i = 0; i < 50; i++) await cache.set(`big${i}`, 'y'.repeat(1_000));
    expect(l1.allocation()).toBeLessThanOrEqual(10_000);
    await expect(cache.get('pinned')).resolves.toMatchObject({ found: true });
    await expect(cache.get('big49')).resolves.toMatchObject({ found: true });
    const unbounded = new HybridCache();
    await unbounded.close();
    await cache.close();
  });

  it('typed helpers reject another runtime type with TYPE_MISMATCH; a nil factory result yields the zero value', async () => {
    const cache = new HybridCache();
    const numbers = cache.typed((v): v is number => typeof v === 'number', 'number', 0);
    await cache.set('s', 'text');
    await expect(numbers.get('s')).rejects.toMatchObject({ code: 'TYPE_MISMATCH', message: 'cache: type mismatch: want number, got string' });
    await expect(numbers.getOrSet('nil', () => undefined as unknown as number)).resolves.toBe(0);
    await expect(numbers.getOrSet('n', () => 7)).resolves.toBe(7);
    await cache.close();
  });

  it('getMany and getOrSetMany read L1, then L2 in one batch, and call the factory once for the rest', async () => {
    const l2 = new MemoryL2();
    const a = new HybridCache({ l2, serializer: new JsonSerializer() });
    const b = new HybridCache({ l2, serializer: new JsonSerializer() });
    await a.set('1', 'one');
    await b.set('2', 'two');
    const got = await a.getMany(['1', '2', '3']);
    expect(got.map((r) => r.value)).toEqual(['one', 'two', undefined]);
    const asked: string[][] = [];
    const values = await a.getOrSetMany(['1', '2', '3', '4'], (missing) => {
      asked.push(missing);
      return Object.fromEntries(missing.map((k) => [k, `v${k}`]));
    });
    expect(values).toEqual(['one', 'two', 'v3', 'v4']);
    expect(asked).toEqual([['3', '4']]);
    await expect(b.get('4')).resolves.toMatchObject({ found: true, value: 'v4' });
    await a.close();
    await b.close();
  });

  it('close() is idempotent and later operations reject with CLOSED', async () => {
    const cache = new HybridCache({ backplane: new MemoryBackplane() });
    await cache.close();
    await cache.close();
    await expect(cache.set('k', 'v')).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(cache.getOrSet('k', () => 'v')).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
