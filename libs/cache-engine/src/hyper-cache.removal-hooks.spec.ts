import { HyperCache } from './hyper-cache';
import { FakeClock, cacheOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} onExpire / onClear hooks`, () => {
  it('reports each item the sweep removes with its key, version and origin, and stops after unsubscribe', async () => {
    const clock = new FakeClock();
    const sut = cacheOf<string>({ expiry: 'absolute', nodeId: 'n1' }, clock);
    const seen: Array<[string, number, string]> = [];
    const off = sut.onExpire((key, version, origin) => seen.push([key, version, origin]));
    sut.set('short', 'v', 100);
    sut.set('long', 'v', 10_000);
    sut.set('forever', 'v', 0);
    const version = sut.peek('short')!.version;
    clock.advance(101);
    expect(sut.get('short')).toBeUndefined();
    // An expired read only triggers the sweep; the sweep removes and reports.
    await sut.idle();
    expect(seen).toEqual([['short', version, 'n1']]);
    off();
    off();
    clock.advance(10_000);
    sut.triggerExpiration();
    await sut.idle();
    expect(sut.count()).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('reports every clear to each listener until it unsubscribes', () => {
    const sut = cacheOf<string>();
    let a = 0;
    let b = 0;
    sut.onClear(() => a++);
    const offB = sut.onClear(() => b++);
    sut.set('k', 'v', 0);
    sut.clear();
    offB();
    sut.clear();
    expect([a, b, sut.count()]).toEqual([2, 1, 0]);
  });
});
