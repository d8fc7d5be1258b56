import { ArcEviction } from './arc-eviction';
import { CawolfuEviction } from './cawolfu-eviction';
import { ClockEviction } from './clock-eviction';
import { AlgorithmNotFoundError, EmptyParamError, InvalidEvictionOptionError } from './errors';
import type { EvictionAlgorithm, EvictionAlgorithmFactory } from './eviction-algorithm';
import { EVICTION_ALGORITHMS } from './eviction-algorithm';
import { resolveEvictionOptions } from './eviction-options';
import { LfuEviction } from './lfu-eviction';
import { LruEviction } from './lru-eviction';

/** Options of {@link createDefaultEvictionRegistry}. */
export interface DefaultEvictionRegistryOptions {
  /** Also register the experimental `arc` (spec: eviction.md §6). Default false, as upstream. */
  readonly enableArc?: boolean;
}

/**
 * Named eviction algorithm factories (spec: eviction.md §7).
 *
 * A new registry is empty; {@link createDefaultEvictionRegistry} returns one holding `lru`, `lfu`,
 * `clock`, `cawolfu`. Registering an existing name replaces it (upstream map semantics). Unlike
 * upstream, where the engine always built its algorithm from a fresh default registry (so custom
 * algorithms and ARC could never reach it), the engine is meant to be handed the registry the
 * caller registered into.
 */
export class EvictionRegistry {
  readonly #factories = new Map<string, EvictionAlgorithmFactory>();

  /**
   * Registers `factory` under `name` (replacing any previous one); returns `this`.
   * @throws EmptyParamError for an empty name; InvalidEvictionOptionError when `factory` is not a function.
   */
  register(name: string, factory: EvictionAlgorithmFactory): this {
    if (name === '') throw new EmptyParamError('algorithm name');
    if (typeof factory !== 'function') throw new InvalidEvictionOptionError('factory', factory, 'a function');
    this.#factories.set(name, factory);
    return this;
  }

  /** Registers several factories (bulk registration, spec §7); returns `this`. */
  registerAll(
    factories: Readonly<Record<string, EvictionAlgorithmFactory>> | Iterable<readonly [string, EvictionAlgorithmFactory]>,
  ): this {
    const entries = Symbol.iterator in factories ? factories : Object.entries(factories);
    for (const [name, factory] of entries as Iterable<readonly [string, EvictionAlgorithmFactory]>) {
      this.register(name, factory);
    }
    return this;
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.#factories.has(name);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.#factories.keys()];
  }

  /**
   * Builds the algorithm registered as `name`.
   * @param capacity items the instance must be able to track (default 0 = unknown/unlimited).
   * @param cacheCapacity the cache's item bound (default `capacity`; see {@link EvictionAlgorithmFactory}).
   * @throws EmptyParamError for an empty name; NegativeCapacityError / InvalidCapacityError for a
   *   bad capacity; AlgorithmNotFoundError (`algorithm not found: <name>`) for an unknown name.
   */
  create(name: string, capacity = 0, cacheCapacity = capacity): EvictionAlgorithm<string> {
    if (name === '') throw new EmptyParamError('algorithm name');
    resolveEvictionOptions({ capacity });
    resolveEvictionOptions({ capacity: cacheCapacity });
    const factory = this.#factories.get(name);
    if (factory === undefined) throw new AlgorithmNotFoundError(name);
    return factory(capacity, cacheCapacity);
  }
}

/**
 * Adds the experimental ARC (`arc`, spec: eviction.md §6) to `registry` and returns it. Its `c` is
 * the cache capacity when the caller gives one (an engine tracking 2 × its capacity for a lagging
 * loop still gets an ARC of its own size; the extra keys wait as pending victims), else the
 * capacity. ARC needs `c` ≥ 1; creating it with 0 throws InvalidCapacityError.
 */
export function registerArc(registry: EvictionRegistry): EvictionRegistry {
  // Upstream marks ARC experimental and leaves it out of the default registry; TS keeps that and
  // makes it reachable only through this explicit opt-in.
  return registry.register(EVICTION_ALGORITHMS.arc, (capacity, cacheCapacity) => new ArcEviction({ capacity: cacheCapacity || capacity }));
}

/**
 * A registry holding the default algorithms `lru`, `lfu`, `clock` (second-chance bit),
 * `cawolfu` (spec: eviction.md §7), plus `arc` when `enableArc` is true. Each call returns a new,
 * independent registry that callers may extend with {@link EvictionRegistry.register}.
 */
export function createDefaultEvictionRegistry(options: DefaultEvictionRegistryOptions = {}): EvictionRegistry {
  const registry = new EvictionRegistry().registerAll({
    [EVICTION_ALGORITHMS.lru]: (capacity) => new LruEviction({ capacity }),
    [EVICTION_ALGORITHMS.lfu]: (capacity) => new LfuEviction({ capacity }),
    [EVICTION_ALGORITHMS.clock]: (capacity) => new ClockEviction({ capacity }),
    [EVICTION_ALGORITHMS.cawolfu]: (capacity) => new CawolfuEviction({ capacity }),
  });
  return options.enableArc === true ? registerArc(registry) : registry;
}
