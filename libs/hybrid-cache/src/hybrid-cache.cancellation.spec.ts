import type { FactoryContext } from './factory-context';
import { HybridCache } from './hybrid-cache';
import { MemoryL2 } from './l2/memory-l2';
import { JsonSerializer } from './serializers';
import { FakeClock, settle } from './testing/fake-clock';

/** A factory that runs until `finish` is called, recording its context. */
function pending<T>() {
  const seen: Array<FactoryContext<T>> = [];
  let finish!: (v: T) => void;
  let calls = 0;
  const factory = (ctx: FactoryContext<T>): Promise<T> => {
    calls++;
    seen.push(ctx);
    return new Promise<T>((res) => (finish = res));
  };
  return { factory, seen, finish: (v: T) => finish(v), calls: () => calls };
}

describe('HybridCache caller cancellation (§6 "caller context cancelled")', () => {
  function setup() {
    const clock = new FakeClock();
    const l2 = new MemoryL2();
    const cache = new HybridCache({ timers: clock, l2, serializer: new JsonSerializer(), defaultEntryOptions: { duration: 60_000, factoryHardTimeout: 10_000 } });
    return { clock, cache, l2 };
  }

  it('rejects the caller with the signal reason at once, aborts the factory signal and stores nothing', async () => {
    const { clock, cache, l2 } = setup();
    const f = pending<string>();
    const ac = new AbortController();
    const r = cache.getOrSet('k', f.factory, { signal: ac.signal });
    await settle();
    expect(f.calls()).toBe(1);
    const reason = new Error('caller gone');
    ac.abort(reason);
    await expect(r).rejects.toBe(reason);
    expect(f.seen[0]!.signal.aborted).toBe(true);
    expect(f.seen[0]!.signal.reason).toBe(reason);
    // The factory ignores its signal and completes anyway: its value must not be stored.
    f.finish('late');
    await clock.advance(0);
    await expect(cache.get('k')).resolves.toMatchObject({ found: false });
    expect(l2.size).toBe(0);
    await cache.close();
  });

  it('rejects with a DOMException AbortError for a plain abort()', async () => {
    const { cache } = setup();
    const f = pending<string>();
    const ac = new AbortController();
    const r = cache.getOrSet('k', f.factory, { signal: ac.signal });
    await settle();
    ac.abort();
    await expect(r).rejects.toMatchObject({ name: 'AbortError' });
    await cache.close();
  });

  it('one caller aborting does not cancel another caller of the same key: one factory call, value stored', async () => {
    const { clock, cache, l2 } = setup();
    const f = pending<string>();
    const a = new AbortController();
    const b = new AbortController();
    const ra = cache.getOrSet('k', f.factory, { signal: a.signal });
    const rb = cache.getOrSet('k', f.factory, { signal: b.signal });
    await settle();
    a.abort();
    await expect(ra).rejects.toMatchObject({ name: 'AbortError' });
    expect(f.seen[0]!.signal.aborted).toBe(false);
    f.finish('v');
    await expect(rb).resolves.toBe('v');
    expect(f.calls()).toBe(1);
    await clock.advance(0);
    await expect(cache.get('k')).resolves.toMatchObject({ found: true, value: 'v' });
    expect(l2.size).toBe(1);
    await cache.close();
  });

  it('a caller without a signal keeps the factory running when the signalled caller aborts', async () => {
    const { cache } = setup();
    const f = pending<string>();
    const a = new AbortController();
    const ra = cache.getOrSet('k', f.factory, { signal: a.signal });
    const rb = cache.getOrSet('k', f.factory);
    await settle();
    a.abort();
    await expect(ra).rejects.toMatchObject({ name: 'AbortError' });
    expect(f.seen[0]!.signal.aborted).toBe(false);
    f.finish('v');
    await expect(rb).resolves.toBe('v');
    expect(f.calls()).toBe(1);
    await cache.close();
  });

  it('after every caller aborted, a new caller starts a new factory instead of joining the cancelled one', async () => {
    const { cache } = setup();
    const f = pending<string>();
    const a = new AbortController();
    const ra = cache.getOrSet('k', f.factory, { signal: a.signal });
    await settle();
    a.abort();
    await expect(ra).rejects.toMatchObject({ name: 'AbortError' });
    const rb = cache.getOrSet('k', f.factory);
    await settle();
    expect(f.calls()).toBe(2);
    expect(f.seen[1]!.signal.aborted).toBe(false);
    f.finish('v2');
    await expect(rb).resolves.toBe('v2');
    await cache.close();
  });

  it('an already-aborted signal rejects at once and never calls the factory', async () => {
    const { cache } = setup();
    let calls = 0;
    const ac = new AbortController();
    const reason = new Error('already gone');
    ac.abort(reason);
    await expect(cache.getOrSet('k', () => ++calls, { signal: ac.signal })).rejects.toBe(reason);
    await expect(cache.getOrSetMany(['a'], () => [++calls], { signal: ac.signal })).rejects.toBe(reason);
    await expect(cache.get('k', { signal: ac.signal })).rejects.toBe(reason);
    expect(calls).toBe(0);
    await cache.close();
  });

  it('getOrSetMany rejects at once on abort while its batch factory runs', async () => {
    const { cache } = setup();
    let finish!: (v: string[]) => void;
    const ac = new AbortController();
    const r = cache.getOrSetMany(['a', 'b'], () => new Promise<string[]>((res) => (finish = res)), { signal: ac.signal });
    await settle();
    expect(finish).toBeDefined();
    ac.abort();
    await expect(r).rejects.toMatchObject({ name: 'AbortError' });
    finish(['1', '2']);
    await cache.close();
  });

  it('get rejects at once when the signal aborts during a slow L2 read', async () => {
    const clock = new FakeClock();
    let release!: () => void;
    const l2 = new MemoryL2();
    const slow = Object.assign(Object.create(l2) as MemoryL2, {
      get: async (key: string) => {
        await new Promise<void>((r) => (release = r));
        return l2.get(key);
      },
    });
    const cache = new HybridCache({ timers: clock, l2: slow, serializer: new JsonSerializer() });
    const ac = new AbortController();
    const r = cache.get('k', { signal: ac.signal });
    await settle();
    ac.abort();
    await expect(r).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await cache.close();
  });
});
