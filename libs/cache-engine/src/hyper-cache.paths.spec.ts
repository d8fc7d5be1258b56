import { createDefaultEvictionRegistry, LruEviction, registerArc } from '@hypercache/eviction';
import * as fc from 'fast-check';
import { InMemoryBackend } from './backends/in-memory-backend';
import { HyperCache } from './hyper-cache';
import type { HyperCacheOptions } from './hyper-cache-options';
import { sortBy, sortOrderAsc, type ListFilter } from './list-filters';
import { FakeClock, TinyLru } from './testing/engine-test-kit';
import { MapBackend } from './testing/map-backend';

// The engine has two data paths, chosen at construction: slots over a plain InMemoryBackend (the
// fast path) and records over any other backend (the engine's original logic). Both must behave
// identically: same results, same records, same counters, same victims, after every operation.

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

async function assertSamePaths(build: (backend: InMemoryBackend<string> | MapBackend<string>, clock: FakeClock) => HyperCache<string>, ops: Op[]) {
  const clock = new FakeClock();
  const fast = build(new InMemoryBackend<string>(), clock);
  const records = build(new MapBackend<string>(), clock);
  for (const o of ops) {
    expect(await run(fast, clock, o)).toEqual(await run(records, clock, o));
    expect(stateOf(fast)).toEqual(stateOf(records));
  }
  await Promise.all([fast.stop(), records.stop()]);
}

const registry = registerArc(createDefaultEvictionRegistry());

describe(`${HyperCache.name} data paths (property)`, () => {
  it.each(['lru', 'lfu', 'clock', 'cawolfu', 'arc'])(
    'with %s, the slot path over InMemoryBackend behaves exactly like the record path over a plain Map backend',
    async (algorithm) => {
      await fc.assert(
        fc.asyncProperty(configArb, fc.array(opArb, { minLength: 5, maxLength: 80, size: 'large' }), async (config, ops) => {
          const options = (backend: InMemoryBackend<string> | MapBackend<string>, clock: FakeClock): HyperCacheOptions<string> => ({
            ...config,
            backend,
            now: clock.now,
            expirationIntervalMs: 0,
            evictionAlgorithm: algorithm,
            evictionRegistry: registry,
          });
          await assertSamePaths((backend, clock) => new HyperCache<string>(options(backend, clock)), ops);
        }),
        { numRuns: 60 },
      );
    },
  );

  it('with a caller-supplied key-only algorithm and with sharded eviction, both paths agree too', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.boolean(), fc.array(opArb, { minLength: 5, maxLength: 80, size: 'large' }), async (config, sharded, ops) => {
        await assertSamePaths(
          (backend, clock) =>
            new HyperCache<string>({
              ...config,
              backend,
              now: clock.now,
              expirationIntervalMs: 0,
              ...(sharded
                ? { evictionAlgorithm: 'lru', evictionShardCount: 2, evictionRegistry: createDefaultEvictionRegistry().register('lru', (c) => new LruEviction({ capacity: c })) }
                : { evictionAlgorithm: new TinyLru() }),
            }),
          ops,
        );
      }),
      { numRuns: 60 },
    );
  });
});
