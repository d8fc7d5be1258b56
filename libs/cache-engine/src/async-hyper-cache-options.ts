import type { Timers } from '@hypercache/loops';
import type { Backend } from './backends/backend';
import { checkCapacity } from './backends/in-memory-backend';
import { CoarseClock } from './coarse-clock';
import { NOOP_LOGGER, type EngineLogger } from './engine-logger';
import { InvalidOptionError } from './errors';
import type { EvictionAlgorithm, NamedAlgorithmFactory } from './eviction-algorithm';
import { HybridLogicalClock } from './hybrid-logical-clock';
import { nonNegativeInteger, resolveCollector, resolveEvictionAlgorithm, timerPeriod, type HyperCacheOptions } from './hyper-cache-options';
import { defaultSizeOf, type SizeOf } from './size-of';
import type { StatsCollector } from './stats/stats-collector';

/**
 * Options of `AsyncHyperCache`. Only `backend` is required. The capacity, eviction, expiration,
 * stats, logger and timers options mean what they mean for `HyperCache` (same defaults), with the
 * differences of docs/decisions.md B13–B15: capacity is checked against the backend's `count()`
 * (a Redis backend: every key under its prefix) and victims are keys this engine wrote or read.
 */
export interface AsyncHyperCacheOptions<V = unknown>
  extends Pick<
    HyperCacheOptions<V>,
    | 'nodeId'
    | 'now'
    | 'clock'
    | 'sizeOf'
    | 'capacity'
    | 'evictionIntervalMs'
    | 'maxEvictionCount'
    | 'evictionAlgorithm'
    | 'evictionRegistry'
    | 'evictionShardCount'
    | 'evictionAlgorithmFactory'
    | 'expirationIntervalMs'
    | 'expirationTriggerDebounceMs'
    | 'statsCollector'
    | 'statsCollectorRegistry'
    | 'logger'
    | 'timers'
  > {
  /** The storage backend (engine.md §11): any {@link Backend}, typically one that answers with promises (Redis). */
  backend: Backend<V>;
}

/** {@link AsyncHyperCacheOptions} with every default filled in and every value checked. */
export interface ResolvedAsyncHyperCacheOptions<V = unknown> {
  backend: Backend<V>;
  nodeId: string;
  now: () => number;
  clock: HybridLogicalClock;
  sizeOf: SizeOf<V>;
  capacity: number;
  evictionIntervalMs: number;
  maxEvictionCount: number;
  /** Whether `maxEvictionCount` was given (otherwise it follows the capacity). */
  maxEvictionCountIsExplicit: boolean;
  evictionAlgorithm: string | EvictionAlgorithm<string>;
  evictionAlgorithmFactory: NamedAlgorithmFactory;
  expirationIntervalMs: number;
  expirationTriggerDebounceMs: number;
  statsCollector: StatsCollector;
  logger: EngineLogger;
  /** undefined = Node's timers. */
  timers: Timers | undefined;
}

/**
 * Fills in defaults in one place and rejects nonsense by naming the option (`InvalidOptionError`,
 * code `BAD_REQUEST`). `capacity` defaults to the backend's and is applied to it.
 */
export function resolveAsyncHyperCacheOptions<V>(o: AsyncHyperCacheOptions<V>): ResolvedAsyncHyperCacheOptions<V> {
  const backend = o?.backend as Backend<V> | undefined;
  if (backend === undefined || backend === null || typeof backend.get !== 'function') {
    throw new InvalidOptionError('backend', backend, 'is required (a Backend)');
  }
  const nodeId = o.nodeId ?? 'local';
  if (typeof nodeId !== 'string' || nodeId.trim().length === 0) throw new InvalidOptionError('nodeId', nodeId, 'must be a non-blank string');
  const capacity = checkCapacity('capacity', o.capacity ?? backend.capacity());
  const maxEvictionCount = nonNegativeInteger('maxEvictionCount', o.maxEvictionCount ?? capacity);
  const { evictionAlgorithm, evictionAlgorithmFactory } = resolveEvictionAlgorithm(o);
  const resolved: ResolvedAsyncHyperCacheOptions<V> = {
    backend,
    nodeId,
    now: o.now ?? new CoarseClock().now,
    clock: o.clock ?? new HybridLogicalClock(),
    sizeOf: o.sizeOf ?? backend.sizeOf ?? defaultSizeOf,
    capacity,
    evictionIntervalMs: timerPeriod('evictionIntervalMs', o.evictionIntervalMs ?? 600_000, false),
    maxEvictionCount,
    maxEvictionCountIsExplicit: o.maxEvictionCount !== undefined,
    evictionAlgorithm,
    evictionAlgorithmFactory,
    expirationIntervalMs: timerPeriod('expirationIntervalMs', o.expirationIntervalMs ?? 1_800_000, true),
    expirationTriggerDebounceMs: timerPeriod('expirationTriggerDebounceMs', o.expirationTriggerDebounceMs ?? 0, false),
    statsCollector: resolveCollector(o.statsCollector, o.statsCollectorRegistry),
    logger: o.logger ?? NOOP_LOGGER,
    timers: o.timers,
  };
  if (backend.capacity() !== capacity) backend.setCapacity(capacity);
  return resolved;
}
