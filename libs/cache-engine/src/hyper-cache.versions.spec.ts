import { HybridLogicalClock } from './hybrid-logical-clock';
import { HyperCache } from './hyper-cache';
import { FakeClock, cacheOf } from './testing/engine-test-kit';

describe(`${HyperCache.name} versions`, () => {
  it('stamps version = nowMs × 1000 on the first write and origin = nodeId', () => {
    const clock = new FakeClock(1_700_000_000_000);
    const item = cacheOf<string>({ nodeId: 'n1' }, clock).set('k', 'v');
    expect(item.version).toBe(1_700_000_000_000_000);
    expect(item.origin).toBe('n1');
  });

  it('an overwrite always gets a higher version than the value it replaces, even with a clock behind', () => {
    const clock = new FakeClock(1_000);
    const sut = cacheOf<string>({}, clock);
    const first = sut.set('k', 'v1');
    clock.ms = 10; // wall clock stepped back
    const second = sut.set('k', 'v2');
    expect(second.version).toBeGreaterThan(first.version);
  });

  it('beats versions observed from peers (a restarted node does not write below them)', () => {
    const hlc = new HybridLogicalClock();
    const clock = new FakeClock(1_000);
    const sut = cacheOf<string>({ clock: hlc }, clock);
    hlc.observe(9_000_000_000);
    expect(sut.set('k', 'v').version).toBe(9_000_000_001);
    expect(sut.clock).toBe(hlc);
  });

  it('several writes in one millisecond get distinct increasing versions', () => {
    const sut = cacheOf<number>();
    const versions = Array.from({ length: 5 }, (_, i) => sut.set(`k${i}`, i).version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(5);
  });
});
