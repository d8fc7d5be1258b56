import { createDefaultEvictionRegistry, registerArc } from '@hypercache/eviction';
import * as fc from 'fast-check';
import { evictionFactoryFrom } from './default-eviction-factory';
import type { EvictionAlgorithm } from './eviction-algorithm';
import { HyperCache } from './hyper-cache';
import type { HyperCacheOptions } from './hyper-cache-options';
import { sortBy, sortOrderAsc, type ListFilter } from './list-filters';
import { FakeClock, TinyLru } from './testing/engine-test-kit';

// The engine tracks keys for eviction in one of two ways, chosen when tracking is planned: through
// a built-in algorithm's own slot handles (the fast path: the algorithm's index is the store's),
// or through a KeyedSlotTracker driving any key-only algorithm. Driving the same algorithm either
// way must behave identically: same results, same records, same counters, same victims, after
// every operation. (This replaced the comparison with the record path over a Map backend, which
// was deleted in issue 14: the keyed tracker drives the algorithm by key exactly as it did.)

/** `algorithm` without its slot handles: the engine can only drive it by key. */
function keyOnly(algorithm: EvictionAlgorithm<string>): EvictionAlgorithm<string> {
  return {
    get name() {
      return algorithm.name;
    },
    get length() {
      return algorithm.length;
    },
    set: (key) => algorithm.set(key),
    get: (key) => algorithm.get(key),
    delete: (key) => algorithm.delete(key),
    evict: () => algorithm.evict(),
    clear: () => algorithm.clear(),
  };
}

type Op =
  | { op: 'set'; key: string; len: number; ttl: number }
  | { op: 'stampedSet'; key: string; len: number; ttl: number; version: number; origin: string; expiresIn: number }
  | { op: 'peek'; key: string }
  | { op: 'keys' }
  | { op: 'get' | 'info' | 'remove'; key: string }
  | { op: 'getOrSet'; key: string; len: number }
  | { op: 'many'; keys: string[] }
  | { op: 'list'; by: string; reverse: boolean }
  | { op: 'tick'; ms: number }
  | { op: 'setCapacity'; capacity: number }
  | { op: 'clear' | 'sweep' | 'evictPass' };

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), key, len: fc.nat(30), ttl: fc.constantFrom(0, 0, 5, 50) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constantFrom('get' as const, 'info' as const), key }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('stampedSet' as const),
      key,
      len: fc.nat(30),
      ttl: fc.constantFrom(0, 50),
      version: fc.nat(2 ** 50),
      origin: fc.constantFrom('local', 'peer-1', 'peer-2'),
      expiresIn: fc.constantFrom(0, 5, 50),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('peek' as const), key }) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: 'keys' }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('getOrSet' as const), key, len: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('many' as const), keys: fc.array(key, { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('list' as const), by: fc.constantFrom('Key', 'LastAccess', 'AccessCount', 'Expiration'), reverse: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setCapacity' as const), capacity: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.constantFrom<Op>({ op: 'clear' }, { op: 'sweep' }, { op: 'evictPass' }) },
);

const configArb = fc.record({
  capacity: fc.nat(5),
  maxCacheSizeBytes: fc.constantFrom(0, 0, 60, 120),
  cacheFullPolicy: fc.constantFrom('reject' as const, 'evict' as const),
  evictionIntervalMs: fc.constantFrom(0, 600_000),
  maxEvictionCount: fc.option(fc.nat(3), { nil: undefined }),
  expiry: fc.constantFrom('sliding' as const, 'absolute' as const),
});

/** Runs `o` on `sut`; returns what the caller observes (value, record, error code…). */
async function run(sut: HyperCache<string>, clock: FakeClock, o: Op): Promise<unknown> {
  try {
    switch (o.op) {
      case 'set':
        return sut.set(o.key, 'x'.repeat(o.len), o.ttl);
      case 'stampedSet':
        return sut.set(o.key, 'z'.repeat(o.len), o.ttl, { version: o.version, origin: o.origin, expiresAtMs: o.expiresIn === 0 ? 0 : clock.ms + o.expiresIn });
      case 'peek':
        return sut.peek(o.key);
      case 'keys':
        return sut.keys();
      case 'get':
        return sut.get(o.key);
      case 'info':
        return sut.getWithInfo(o.key);
      case 'remove':
        return sut.remove(o.key);
      case 'getOrSet':
        return await sut.getOrSet(o.key, 'y'.repeat(o.len));
      case 'many': {
        const { found, failed } = sut.getMultiple(o.keys);
        return { found: [...found], failed: [...failed].map(([k, e]) => [k, e.code]) };
      }
      case 'list': {
        const filters: ListFilter<string>[] = [sortBy(o.by), sortOrderAsc(!o.reverse)];
        return sut.list(...filters);
      }
      case 'tick':
        clock.advance(o.ms);
        return undefined;
      case 'setCapacity':
        return sut.setCapacity(o.capacity);
      case 'clear':
        return sut.clear();
      case 'sweep':
        sut.triggerExpiration();
        return await sut.idle();
      case 'evictPass':
        sut.triggerEviction();
        return await sut.idle();
    }
  } catch (err) {
    return { error: (err as { code?: string }).code };
  }
}

/** Everything observable about an engine's state. */
function stateOf(sut: HyperCache<string>): unknown {
  return { items: sut.list(), counters: sut.counters(), allocation: sut.allocation(), count: sut.count(), tracked: sut.evictionAlgorithm.length };
}

type Build = (clock: FakeClock) => HyperCache<string>;

async function assertSamePaths(buildFast: Build, buildKeyed: Build, ops: Op[]) {
  const clock = new FakeClock();
  const fast = buildFast(clock);
  const keyed = buildKeyed(clock);
  for (const o of ops) {
    expect(await run(fast, clock, o)).toEqual(await run(keyed, clock, o));
    expect(stateOf(fast)).toEqual(stateOf(keyed));
  }
  await Promise.all([fast.stop(), keyed.stop()]);
}

const registry = registerArc(createDefaultEvictionRegistry());

describe(`${HyperCache.name} data paths (property)`, () => {
  it.each(['lru', 'lfu', 'clock', 'cawolfu', 'arc'])(
    'with %s, tracking through the algorithm’s slot handles behaves exactly like driving the same algorithm by key',
    async (algorithm) => {
      await fc.assert(
        fc.asyncProperty(configArb, fc.array(opArb, { minLength: 5, maxLength: 80, size: 'large' }), async (config, ops) => {
          const options = (clock: FakeClock): HyperCacheOptions<string> => ({
            ...config,
            now: clock.now,
            expirationIntervalMs: 0,
            evictionAlgorithm: algorithm,
          });
          const byKey = evictionFactoryFrom(registry, 1);
          await assertSamePaths(
            (clock) => new HyperCache<string>({ ...options(clock), evictionRegistry: registry }),
            (clock) => new HyperCache<string>({ ...options(clock), evictionAlgorithmFactory: (name, capacity, cacheCapacity) => keyOnly(byKey(name, capacity, cacheCapacity)) }),
            ops,
          );
        }),
        { numRuns: 60 },
      );
    },
  );

  it('with a caller-supplied key-only LRU instance, the engine agrees with its built-in LRU', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(opArb, { minLength: 5, maxLength: 80, size: 'large' }), async (config, ops) => {
        // Fixed capacity ≥ 1: at capacity 0 a named algorithm is not built at all (nothing to evict)
        // and growing the capacity rebuilds it from access times, while a caller-supplied instance
        // is always used as is and keeps its history; those differ by design (eviction-tracking.ts).
        const options = (clock: FakeClock): HyperCacheOptions<string> => ({ ...config, capacity: Math.max(1, config.capacity), now: clock.now, expirationIntervalMs: 0 });
        await assertSamePaths(
          (clock) => new HyperCache<string>({ ...options(clock), evictionAlgorithm: 'lru', evictionRegistry: registry }),
          (clock) => new HyperCache<string>({ ...options(clock), evictionAlgorithm: new TinyLru() }),
          ops.filter((o) => o.op !== 'setCapacity'),
        );
      }),
      { numRuns: 60 },
    );
  });
});
