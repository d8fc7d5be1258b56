import type { Timers } from '@hypercache/loops';
import { InMemoryBackend, checkCapacity } from './backends/in-memory-backend';
import type { EvictionRegistry } from '@hypercache/eviction';
import { evictionFactoryFrom } from './default-eviction-factory';
import { NOOP_LOGGER, type EngineLogger } from './engine-logger';
import { CoarseClock } from './coarse-clock';
import { InvalidOptionError } from './errors';
import type { EvictionAlgorithm, NamedAlgorithmFactory } from './eviction-algorithm';
import type { ExpiryMode } from './expiry-mode';
import { HybridLogicalClock } from './hybrid-logical-clock';
import { defaultSizeOf, type SizeOf } from './size-of';
import type { StatsCollector } from './stats/stats-collector';
import { StatsCollectorRegistry } from './stats/stats-collector-registry';

/** Largest timer period Node accepts (ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What a write past `maxCacheSizeBytes` does: `reject` fails it with `CacheFullError` (upstream,
 * engine.md §4); `evict` evicts victims chosen by the eviction algorithm until it fits, and refuses
 * an item larger than the whole limit with `ItemTooLargeError` (Redis `maxmemory` style).
 */
export const CacheFullPolicy = { Reject: 'reject', Evict: 'evict' } as const;
/** Union of the values of {@link CacheFullPolicy}. */
export type CacheFullPolicy = (typeof CacheFullPolicy)[keyof typeof CacheFullPolicy];

/** Options of {@link HyperCache} (config.md B.1–B.2). Every field is optional; see each default. */
export interface HyperCacheOptions<V = unknown> {
  /** Origin stamped on versions (dist-protocol.md §4). Default `'local'`. */
  nodeId?: string;
  /** Clock in epoch ms. Default: a {@link CoarseClock} over `Date.now` (≤ 1 ms or 1024 calls stale). */
  now?: () => number;
  /** Max item count, 0 = unlimited (default 0; applied to the backend); negative → error. */
  capacity?: number;
  /** Cap on summed item sizes in bytes, 0 = unlimited (default 0); writes past it fail `cache is full`. */
  maxCacheSizeBytes?: number;
  /** What a write past `maxCacheSizeBytes` does (default `'reject'`, upstream); see {@link CacheFullPolicy}. */
  cacheFullPolicy?: CacheFullPolicy;
  /** Eviction loop period in ms (default 600 000 = 10 min); 0 = proactive eviction after each write that makes count > capacity. */
  evictionIntervalMs?: number;
  /** Max items removed per eviction pass (default = capacity; follows `setCapacity` unless given). */
  maxEvictionCount?: number;
  /** Algorithm name from the registry (default `'lfu'`, as upstream `NewConfig`) or an instance (the caller sizes it, ≥ 2 × capacity or unbounded). */
  evictionAlgorithm?: string | EvictionAlgorithm<string>;
  /** Registry the algorithm name is looked up in (default `createDefaultEvictionRegistry()`); register custom algorithms or ARC there (eviction.md §7). */
  evictionRegistry?: EvictionRegistry;
  /** Eviction shards (eviction.md §8): ≤ 1 = one instance (default 1, strict global order); else a power of two. */
  evictionShardCount?: number;
  /** Low-level seam replacing registry + shards: creates an algorithm from (name, capacity). */
  evictionAlgorithmFactory?: NamedAlgorithmFactory;
  /** Expiration sweep period in ms (default 1 800 000 = 30 min); ≤ 0 = sweeps only on triggers. */
  expirationIntervalMs?: number;
  /** Expiration triggers within this many ms of the last accepted one are dropped (default 0 = off). engine.md §3. */
  expirationTriggerDebounceMs?: number;
  /** `'sliding'` (default, upstream engine: reads extend) or `'absolute'` (server: write time + TTL). */
  expiry?: ExpiryMode;
  /** Collector instance or registry name (default `'default'` = histogram collector). engine.md §7. */
  statsCollector?: StatsCollector | string;
  /** Registry used to resolve a collector name (default: `StatsCollectorRegistry.withDefaults()`). */
  statsCollectorRegistry?: StatsCollectorRegistry;
  /** Item sizer in bytes (default {@link defaultSizeOf}). engine.md §4. */
  sizeOf?: SizeOf<V>;
  /**
   * Compact values (TS addition, default 0 = off): a `Buffer` value of at most this many bytes is
   * stored as a one-byte string (exact byte round trip) instead of the `Buffer` object, and every
   * read returns a fresh `Buffer` with the same bytes instead of the written object. Cuts a 64-byte
   * value's cost from ~600 to ~80 bytes (bench/memory); the server uses it. Other values are stored
   * as given.
   */
  compactValueBytes?: number;
  /**
   * Storage (default a new `InMemoryBackend`). The engine works on its slot store directly, not
   * through the `Backend` seam (a subclass's overrides are not called); async backends go behind
   * `AsyncHyperCache` instead.
   */
  backend?: InMemoryBackend<V>;
  /** Version clock; pass one to share it with a distributed backend (default a new one). */
  clock?: HybridLogicalClock;
  /** Structured logger (default: discard). Values are never logged. */
  logger?: EngineLogger;
  /** Timers of the expiration and eviction loops (default: Node's, unref()'d); tests inject manual ones. */
  timers?: Timers;
}

/** {@link HyperCacheOptions} with every default filled in and every value checked. */
export interface ResolvedHyperCacheOptions<V = unknown> {
  nodeId: string;
  now: () => number;
  capacity: number;
  maxCacheSizeBytes: number;
  cacheFullPolicy: CacheFullPolicy;
  evictionIntervalMs: number;
  maxEvictionCount: number;
  /** Whether `maxEvictionCount` was given (otherwise it follows the capacity). */
  maxEvictionCountIsExplicit: boolean;
  evictionAlgorithm: string | EvictionAlgorithm<string>;
  evictionAlgorithmFactory: NamedAlgorithmFactory;
  expirationIntervalMs: number;
  expirationTriggerDebounceMs: number;
  expiry: ExpiryMode;
  statsCollector: StatsCollector;
  sizeOf: SizeOf<V>;
  /** 0 = off. */
  compactValueBytes: number;
  backend: InMemoryBackend<V>;
  clock: HybridLogicalClock;
  logger: EngineLogger;
  /** undefined = Node's timers. */
  timers: Timers | undefined;
}

/** Fills in defaults in one place and rejects nonsense by naming the option (`InvalidOptionError`, code `BAD_REQUEST`). */
export function resolveHyperCacheOptions<V>(o: HyperCacheOptions<V> = {}): ResolvedHyperCacheOptions<V> {
  const nodeId = o.nodeId ?? 'local';
  if (typeof nodeId !== 'string' || nodeId.trim().length === 0) throw new InvalidOptionError('nodeId', nodeId, 'must be a non-blank string');
  const capacity = checkCapacity('capacity', o.capacity ?? o.backend?.capacity() ?? 0);
  const maxCacheSizeBytes = nonNegativeInteger('maxCacheSizeBytes', o.maxCacheSizeBytes ?? 0);
  const cacheFullPolicy = o.cacheFullPolicy ?? CacheFullPolicy.Reject;
  if (cacheFullPolicy !== CacheFullPolicy.Reject && cacheFullPolicy !== CacheFullPolicy.Evict) {
    throw new InvalidOptionError('cacheFullPolicy', cacheFullPolicy, "must be 'reject' or 'evict'");
  }
  const maxEvictionCount = nonNegativeInteger('maxEvictionCount', o.maxEvictionCount ?? capacity);
  const expiry = o.expiry ?? 'sliding';
  if (expiry !== 'sliding' && expiry !== 'absolute') throw new InvalidOptionError('expiry', expiry, "must be 'sliding' or 'absolute'");
  const { evictionAlgorithm, evictionAlgorithmFactory } = resolveEvictionAlgorithm(o);
  const backend = o.backend ?? new InMemoryBackend<V>({ capacity });
  if (backend.capacity() !== capacity) backend.setCapacity(capacity);
  return {
    nodeId,
    now: o.now ?? new CoarseClock().now,
    capacity,
    maxCacheSizeBytes,
    cacheFullPolicy,
    evictionIntervalMs: timerPeriod('evictionIntervalMs', o.evictionIntervalMs ?? 600_000, false),
    maxEvictionCount,
    maxEvictionCountIsExplicit: o.maxEvictionCount !== undefined,
    evictionAlgorithm,
    evictionAlgorithmFactory,
    expirationIntervalMs: timerPeriod('expirationIntervalMs', o.expirationIntervalMs ?? 1_800_000, true),
    expirationTriggerDebounceMs: timerPeriod('expirationTriggerDebounceMs', o.expirationTriggerDebounceMs ?? 0, false),
    expiry,
    statsCollector: resolveCollector(o.statsCollector, o.statsCollectorRegistry),
    sizeOf: o.sizeOf ?? defaultSizeOf,
    compactValueBytes: nonNegativeInteger('compactValueBytes', o.compactValueBytes ?? 0),
    backend,
    clock: o.clock ?? new HybridLogicalClock(),
    logger: o.logger ?? NOOP_LOGGER,
    timers: o.timers,
  };
}

/** The eviction options shared by `HyperCache` and `AsyncHyperCache`. */
export type EvictionAlgorithmOptions = Pick<HyperCacheOptions, 'evictionAlgorithm' | 'evictionRegistry' | 'evictionShardCount' | 'evictionAlgorithmFactory'>;

/** Resolves the algorithm (default `'lfu'`) and the factory building it by name (registry + shards), naming a bad option. */
export function resolveEvictionAlgorithm(o: EvictionAlgorithmOptions): {
  evictionAlgorithm: string | EvictionAlgorithm<string>;
  evictionAlgorithmFactory: NamedAlgorithmFactory;
} {
  const algorithm = o.evictionAlgorithm ?? 'lfu';
  if (typeof algorithm === 'string' && algorithm.trim().length === 0) {
    throw new InvalidOptionError('evictionAlgorithm', algorithm, 'must be a non-empty name');
  }
  const shards = o.evictionShardCount ?? 1;
  if (!Number.isSafeInteger(shards) || (shards > 1 && (shards & (shards - 1)) !== 0)) {
    throw new InvalidOptionError('evictionShardCount', shards, 'must be ≤ 1 or a power of two');
  }
  return { evictionAlgorithm: algorithm, evictionAlgorithmFactory: o.evictionAlgorithmFactory ?? evictionFactoryFrom(o.evictionRegistry, shards) };
}

/** `value` if it is a non-negative safe integer, else `InvalidOptionError` naming `option`. */
export function nonNegativeInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidOptionError(option, value, 'must be a non-negative integer');
  return value;
}

/** A period in ms; `allowNegative` maps ≤ 0 to 0 ("off"), as upstream does for the expiration interval. */
export function timerPeriod(option: string, value: number, allowNegative: boolean): number {
  if (!Number.isFinite(value) || (!allowNegative && value < 0) || value > MAX_TIMER_MS) {
    throw new InvalidOptionError(option, value, `must be a number of ms in [0, ${MAX_TIMER_MS}]`);
  }
  return value < 0 ? 0 : value;
}

/** The collector instance given, or a new one from `registry` (default registry) by name (default `'default'`). */
export function resolveCollector(c: StatsCollector | string | undefined, registry?: StatsCollectorRegistry): StatsCollector {
  if (c !== undefined && typeof c !== 'string') return c;
  return (registry ?? StatsCollectorRegistry.withDefaults()).create(c ?? 'default');
}
