import { ArcEviction } from './arc-eviction';
import { CawolfuEviction } from './cawolfu-eviction';
import { ClockEviction } from './clock-eviction';
import { AlgorithmNotFoundError, EVICTION_ERROR_CODES } from './errors';
import type { EvictionAlgorithm } from './eviction-algorithm';
import { createDefaultEvictionRegistry, EvictionRegistry, registerArc } from './eviction-registry';
import { LfuEviction } from './lfu-eviction';
import { LruEviction } from './lru-eviction';

/** A custom algorithm: evicts the most recently inserted key. */
function stackFactory(): EvictionAlgorithm {
  const keys: string[] = [];
  return {
    name: 'stack',
    get length() {
      return keys.length;
    },
    set: (k) => void (keys.includes(k) || keys.push(k)),
    get: (k) => keys.includes(k),
    delete: (k) => keys.includes(k) && keys.splice(keys.indexOf(k), 1).length === 1,
    evict: () => keys.pop(),
    clear: () => void keys.splice(0),
  };
}

describe(EvictionRegistry.name, () => {
  it.each([
    ['lru', LruEviction],
    ['lfu', LfuEviction],
    ['clock', ClockEviction],
    ['cawolfu', CawolfuEviction],
  ])('creates the default algorithm %s', (name, type) => {
    const algo = createDefaultEvictionRegistry().create(name, 10);
    expect(algo).toBeInstanceOf(type);
    expect(algo.name).toBe(name);
  });

  it('holds exactly the four default names', () => {
    expect(createDefaultEvictionRegistry().names()).toEqual(['lru', 'lfu', 'clock', 'cawolfu']);
  });

  it('leaves ARC out unless it is enabled explicitly', () => {
    const registry = createDefaultEvictionRegistry();
    expect(registry.has('arc')).toBe(false);
    expect(() => registry.create('arc', 10)).toThrow(expect.objectContaining({ code: EVICTION_ERROR_CODES.algorithmNotFound }));
  });

  it.each([
    ['the enableArc option', () => createDefaultEvictionRegistry({ enableArc: true })],
    ['registerArc', () => registerArc(createDefaultEvictionRegistry())],
  ])('makes ARC available through %s', (_how, build) => {
    const algo = build().create('arc', 8);
    expect(algo).toBeInstanceOf(ArcEviction);
    expect((algo as ArcEviction).capacity).toBe(8);
  });

  it('rejects ARC with capacity 0 (it needs a bound)', () => {
    const registry = createDefaultEvictionRegistry({ enableArc: true });
    expect(() => registry.create('arc', 0)).toThrow(expect.objectContaining({ code: EVICTION_ERROR_CODES.invalidCapacity }));
  });

  it('rejects an unknown name with AlgorithmNotFoundError naming it', () => {
    const registry = createDefaultEvictionRegistry();
    const attempt = () => registry.create('fifo', 10);
    expect(attempt).toThrow(AlgorithmNotFoundError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ALGORITHM_NOT_FOUND', algorithm: 'fifo' }));
    expect(attempt).toThrow('algorithm not found: fifo');
  });

  it.each(['fifo', 'random', 'ttl', 'lfuda', 'slru'])('does not invent the documented-but-missing algorithm %s', (name) => {
    expect(createDefaultEvictionRegistry().has(name)).toBe(false);
  });

  it('rejects an empty name on create and on register', () => {
    const registry = createDefaultEvictionRegistry();
    const code = EVICTION_ERROR_CODES.emptyParam;
    expect(() => registry.create('', 1)).toThrow(expect.objectContaining({ code }));
    expect(() => registry.register('', stackFactory)).toThrow(expect.objectContaining({ code }));
    expect(() => registry.create('', 1)).toThrow(/^param cannot be empty/);
  });

  it('rejects a negative capacity or cache capacity before calling the factory', () => {
    const factory = jest.fn(stackFactory);
    const registry = new EvictionRegistry().register('stack', factory);
    expect(() => registry.create('stack', -1)).toThrow(expect.objectContaining({ code: EVICTION_ERROR_CODES.negativeCapacity }));
    expect(() => registry.create('stack', 4, -1)).toThrow(expect.objectContaining({ code: EVICTION_ERROR_CODES.negativeCapacity }));
    expect(factory).not.toHaveBeenCalled();
  });

  it('passes the cache capacity as the second factory argument (default: the capacity)', () => {
    const factory = jest.fn(stackFactory);
    const registry = new EvictionRegistry().register('stack', factory);
    registry.create('stack', 20, 8);
    expect(factory).toHaveBeenLastCalledWith(20, 8);
  });

  it("builds ARC with the cache capacity as its c when given, else with the capacity", () => {
    const registry = createDefaultEvictionRegistry({ enableArc: true });
    expect((registry.create('arc', 20, 8) as ArcEviction).capacity).toBe(8);
    expect((registry.create('arc', 20) as ArcEviction).capacity).toBe(20);
    expect((registry.create('arc', 20, 0) as ArcEviction).capacity).toBe(20);
  });

  it('rejects a factory that is not a function', () => {
    const registry = new EvictionRegistry();
    expect(() => registry.register('x', 'nope' as never)).toThrow(expect.objectContaining({ code: EVICTION_ERROR_CODES.invalidOption }));
  });

  it('creates a registered custom algorithm and passes it the capacity', () => {
    const factory = jest.fn(stackFactory);
    const registry = createDefaultEvictionRegistry().register('stack', factory);
    const algo = registry.create('stack', 42);
    expect(factory).toHaveBeenCalledWith(42, 42);
    algo.set('a');
    algo.set('b');
    expect(algo.evict()).toBe('b');
  });

  it('replaces an existing registration with the same name', () => {
    const registry = createDefaultEvictionRegistry().register('lru', stackFactory);
    expect(registry.create('lru').name).toBe('stack');
  });

  it('registers in bulk from a record or from entries', () => {
    const fromRecord = new EvictionRegistry().registerAll({ a: stackFactory, b: stackFactory });
    const fromEntries = new EvictionRegistry().registerAll(new Map([['c', stackFactory]]));
    expect(fromRecord.names()).toEqual(['a', 'b']);
    expect(fromEntries.names()).toEqual(['c']);
  });

  it('starts empty and keeps registries independent', () => {
    const a = createDefaultEvictionRegistry().register('stack', stackFactory);
    expect(new EvictionRegistry().names()).toEqual([]);
    expect(createDefaultEvictionRegistry().has('stack')).toBe(false);
    expect(a.has('stack')).toBe(true);
  });

  it('defaults the capacity to 0', () => {
    const factory = jest.fn(stackFactory);
    new EvictionRegistry().register('stack', factory).create('stack');
    expect(factory).toHaveBeenCalledWith(0, 0);
  });
});
