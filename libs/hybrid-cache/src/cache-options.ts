import { randomBytes } from 'node:crypto';
import type { Backplane } from './backplane/backplane';
import { DEFAULT_ENTRY_OPTIONS, mergeEntryOptions, type EntryOptions } from './entry-options';
import { InvalidOptionError, MissingSerializerError } from './errors';
import { EngineL1, type EngineL1Options } from './l1/engine-l1';
import type { L1Adapter } from './l1/l1-adapter';
import type { L2Adapter } from './l2/l2-adapter';
import { NOOP_HYBRID_LOGGER, type HybridCacheLogger } from './logger';
import type { Serializer } from './serializers';
import { SYSTEM_TIMERS, type Timers } from './timers';

/** Circuit breaker settings (§8): `threshold` consecutive failures open it for `openDurationMs`. 0 = disabled. */
export interface CircuitBreakerSettings {
  threshold: number;
  openDurationMs: number;
}

/** Construction options of `HybridCache` (hybrid-cache.md §2). Every field is optional. */
export interface HybridCacheOptions {
  /** Scopes backplane messages and counters. Default `'default'`. */
  cacheName?: string;
  /** Prepended to every key for L1, L2 and the stampede lock (not on the backplane). Default `''`. */
  keyPrefix?: string;
  /** Entry defaults, merged over the built-in defaults (TS decision, §2: a partial record zeroes nothing). */
  defaultEntryOptions?: Partial<EntryOptions>;
  /** An L1 adapter, or options of the default engine-backed L1 (bounded: 10 000 entries, 64 MiB). */
  l1?: L1Adapter | EngineL1Options;
  /** The distributed L2; requires `serializer`. Default none. */
  l2?: L2Adapter;
  /** Value serializer, required for L2 and auto-clone. */
  serializer?: Serializer;
  /** Backplane keeping every instance's L1 coherent. Subscribed during `init()`/`create()`. */
  backplane?: Backplane;
  /** Structured logger. Default: discard. */
  logger?: HybridCacheLogger;
  /** Source ID on backplane messages and for self-suppression. Default 16 random bytes as hex. */
  nodeId?: string;
  /** L2 breaker. Default disabled. */
  l2CircuitBreaker?: CircuitBreakerSettings;
  /** Backplane breaker. Default disabled. */
  backplaneCircuitBreaker?: CircuitBreakerSettings;
  /** On backplane recovery (breaker closes, reconnect, lost message), drop the whole L1. Default true. */
  backplaneAutoRecovery?: boolean;
  /** Times a queued backplane message is retried before the queue gives up and queues a `Clear`. Default 10. */
  autoRecoveryMaxRetries?: number;
  /** Delay between retries of the publish queue, in ms. Default 2 000. */
  autoRecoveryDelay?: number;
  /** Max distinct messages waiting in the publish retry queue (de-duplicated per key); overflow → one `Clear`. Default 1 024. */
  publishQueueSize?: number;
  /** Drop every received backplane message. Default false. */
  ignoreIncomingBackplaneNotifications?: boolean;
  /** Treat L2 read errors as misses; false makes them reject the operation. Default true. */
  skipL2OnError?: boolean;
  /** Clock and timers (tests inject a fake). Default wall clock with `unref()`'d timers. */
  timers?: Timers;
}

/** {@link HybridCacheOptions} with every default filled in. */
export interface ResolvedHybridCacheOptions {
  cacheName: string;
  keyPrefix: string;
  defaultEntryOptions: Readonly<EntryOptions>;
  l1: L1Adapter;
  l2: L2Adapter | undefined;
  serializer: Serializer | undefined;
  backplane: Backplane | undefined;
  logger: HybridCacheLogger;
  nodeId: string;
  l2CircuitBreaker: CircuitBreakerSettings;
  backplaneCircuitBreaker: CircuitBreakerSettings;
  backplaneAutoRecovery: boolean;
  autoRecoveryMaxRetries: number;
  autoRecoveryDelay: number;
  publishQueueSize: number;
  ignoreIncomingBackplaneNotifications: boolean;
  skipL2OnError: boolean;
  timers: Timers;
}

/** Fills in defaults in one place and rejects nonsense naming the option (`InvalidOptionError`). */
export function resolveHybridCacheOptions(o: HybridCacheOptions = {}): ResolvedHybridCacheOptions {
  const cacheName = o.cacheName ?? 'default';
  if (typeof cacheName !== 'string' || cacheName.length === 0) throw new InvalidOptionError('cacheName', cacheName, 'must be a non-empty string');
  const keyPrefix = o.keyPrefix ?? '';
  if (typeof keyPrefix !== 'string') throw new InvalidOptionError('keyPrefix', keyPrefix, 'must be a string');
  if (o.l2 !== undefined && o.serializer === undefined) throw new MissingSerializerError();
  const nodeId = o.nodeId ?? randomBytes(16).toString('hex');
  if (typeof nodeId !== 'string' || nodeId.length === 0) throw new InvalidOptionError('nodeId', nodeId, 'must be a non-empty string');
  const defaults = mergeEntryOptions(DEFAULT_ENTRY_OPTIONS, o.defaultEntryOptions ?? {});
  return {
    cacheName,
    keyPrefix,
    defaultEntryOptions: Object.freeze({ ...defaults, tags: Object.freeze([...defaults.tags]) }),
    l1: isL1Adapter(o.l1) ? o.l1 : new EngineL1(o.l1),
    l2: o.l2,
    serializer: o.serializer,
    backplane: o.backplane,
    logger: o.logger ?? NOOP_HYBRID_LOGGER,
    nodeId,
    l2CircuitBreaker: breaker('l2CircuitBreaker', o.l2CircuitBreaker),
    backplaneCircuitBreaker: breaker('backplaneCircuitBreaker', o.backplaneCircuitBreaker),
    backplaneAutoRecovery: o.backplaneAutoRecovery ?? true,
    autoRecoveryMaxRetries: nonNegative('autoRecoveryMaxRetries', o.autoRecoveryMaxRetries ?? 10),
    autoRecoveryDelay: positive('autoRecoveryDelay', o.autoRecoveryDelay ?? 2_000),
    publishQueueSize: positive('publishQueueSize', o.publishQueueSize ?? 1_024),
    ignoreIncomingBackplaneNotifications: o.ignoreIncomingBackplaneNotifications ?? false,
    skipL2OnError: o.skipL2OnError ?? true,
    timers: o.timers ?? SYSTEM_TIMERS,
  };
}

function isL1Adapter(l1: unknown): l1 is L1Adapter {
  return typeof l1 === 'object' && l1 !== null && typeof (l1 as L1Adapter).get === 'function' && typeof (l1 as L1Adapter).set === 'function';
}

function breaker(option: string, b: CircuitBreakerSettings | undefined): CircuitBreakerSettings {
  if (b === undefined) return { threshold: 0, openDurationMs: 0 };
  nonNegative(`${option}.threshold`, b.threshold);
  nonNegative(`${option}.openDurationMs`, b.openDurationMs);
  if (b.threshold > 0 && b.openDurationMs <= 0) throw new InvalidOptionError(`${option}.openDurationMs`, b.openDurationMs, 'must be > 0 when threshold > 0');
  return { threshold: b.threshold, openDurationMs: b.openDurationMs };
}

function nonNegative(option: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 0) throw new InvalidOptionError(option, v, 'must be an integer ≥ 0');
  return v;
}

function positive(option: string, v: number): number {
  if (!Number.isSafeInteger(v) || v <= 0) throw new InvalidOptionError(option, v, 'must be an integer > 0');
  return v;
}
