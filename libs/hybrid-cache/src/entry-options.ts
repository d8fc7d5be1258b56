import { InvalidOptionError } from './errors';

/** Eviction hint passed to L1 (§3 `priority`): Low −1, Normal 0, High 1, NeverRemove 2. */
export const CachePriority = { Low: -1, Normal: 0, High: 1, NeverRemove: 2 } as const;
/** One of {@link CachePriority}. */
export type CachePriority = (typeof CachePriority)[keyof typeof CachePriority];

/**
 * Per-entry options (hybrid-cache.md §3). Durations are in ms. Every field is optional in a call;
 * a call's options are merged over the cache's defaults (tags are appended to the default tags).
 */
export interface EntryOptions {
  /** Logical freshness window in ms; stale after `createdAt + duration`. Default 300 000 (5 min). */
  duration: number;
  /** L2 TTL override in ms, 0 = `duration`. Default 0. */
  distributedCacheDuration: number;
  /** Random extra L2 TTL in [0, max) ms (L1 and the envelope's timestamps unaffected). Default 0. */
  jitterMaxDuration: number;
  /** Serve stale values when the factory or L2 fails (§6). Default false. */
  isFailSafeEnabled: boolean;
  /** Physical lifetime in ms with fail-safe on; must be 0 or ≥ `duration`. Default 0. */
  failSafeMaxDuration: number;
  /** L2 physical TTL override with fail-safe, used only with `distributedCacheDuration` > 0. Default 0. */
  distributedCacheFailSafeMaxDuration: number;
  /** After a fail-safe activation the stale value counts as fresh in L1 for this many ms. Default 0. */
  failSafeThrottleDuration: number;
  /** `get` may return stale values. Default false. */
  allowStaleOnReadOnly: boolean;
  /** After this many ms return a stale value (fail-safe on + stale present); the factory keeps running. 0 = none. */
  factorySoftTimeout: number;
  /** Absolute factory limit in ms; the factory's signal is aborted. 0 = none. */
  factoryHardTimeout: number;
  /** Store a factory result that arrives after a soft timeout. Default true. */
  allowTimedOutFactoryBackgroundCompletion: boolean;
  /** After this many ms an L2 read counts as a miss when a stale fallback exists. 0 = none. */
  distributedCacheSoftTimeout: number;
  /** Absolute limit of one L2 operation in ms. 0 = none. */
  distributedCacheHardTimeout: number;
  /** L2 writes are fire-and-forget. Default false. */
  allowBackgroundDistributedCacheOperations: boolean;
  /** Eager refresh threshold in (0, 1) exclusive; anything else disables it (§5). Default 0. */
  eagerRefreshThreshold: number;
  /** Publish nothing on the backplane for this operation. Default false. */
  skipBackplaneNotifications: boolean;
  /** Publish fire-and-forget. Default true. */
  allowBackgroundBackplaneOperations: boolean;
  /** With a synchronous publish, a publish failure rejects the operation. Default false. */
  reThrowBackplaneExceptions: boolean;
  /** With synchronous L2 operations, an L2 failure rejects the operation. Default false. */
  reThrowDistributedCacheExceptions: boolean;
  /** A serialization failure rejects the write (else it is logged and L2 skipped). Default true. */
  reThrowSerializationExceptions: boolean;
  /** Eviction hint for L1 adapters that support it. Default Normal. */
  priority: CachePriority;
  /** Cost in bytes for the bounded L1 (0 = measured from the value). Default 0. */
  size: number;
  /** Bypass the L1 read. Default false. */
  skipL1Read: boolean;
  /** Bypass the L1 write. Default false. */
  skipL1Write: boolean;
  /** Bypass the L2 read. Default false. */
  skipL2Read: boolean;
  /** Bypass L2 writes, deletes and tag deletes. Default false. */
  skipL2Write: boolean;
  /** Do not read L2 when L1 holds a stale entry. Default false. */
  skipL2ReadWhenStale: boolean;
  /** Labels for `deleteByTag` / `expireByTag`. Default []. */
  tags: readonly string[];
  /** Max wait in ms for the stampede lock; 0 = wait forever. Default 0. */
  lockTimeout: number;
  /** Deep-clone values returned from L1 through the serializer. Default false. */
  enableAutoClone: boolean;
}

/** The defaults of {@link EntryOptions} (§3 "Defaults"). */
export const DEFAULT_ENTRY_OPTIONS: Readonly<EntryOptions> = Object.freeze({
  duration: 300_000,
  distributedCacheDuration: 0,
  jitterMaxDuration: 0,
  isFailSafeEnabled: false,
  failSafeMaxDuration: 0,
  distributedCacheFailSafeMaxDuration: 0,
  failSafeThrottleDuration: 0,
  allowStaleOnReadOnly: false,
  factorySoftTimeout: 0,
  factoryHardTimeout: 0,
  allowTimedOutFactoryBackgroundCompletion: true,
  distributedCacheSoftTimeout: 0,
  distributedCacheHardTimeout: 0,
  allowBackgroundDistributedCacheOperations: false,
  eagerRefreshThreshold: 0,
  skipBackplaneNotifications: false,
  allowBackgroundBackplaneOperations: true,
  reThrowBackplaneExceptions: false,
  reThrowDistributedCacheExceptions: false,
  reThrowSerializationExceptions: true,
  priority: CachePriority.Normal,
  size: 0,
  skipL1Read: false,
  skipL1Write: false,
  skipL2Read: false,
  skipL2Write: false,
  skipL2ReadWhenStale: false,
  tags: Object.freeze([]) as readonly string[],
  lockTimeout: 0,
  enableAutoClone: false,
});

/** Per-call options: any subset of {@link EntryOptions}, plus `skipL2` (skip L2 read + write + backplane). */
export type EntryOptionsInput = Partial<EntryOptions> & {
  /** Shorthand: skip L2 read, L2 write and backplane notifications (`WithSkipL2`). */
  skipL2?: boolean;
  /**
   * Per-call cancellation (§6 "caller context cancelled"): when it aborts, this call rejects at once
   * with `signal.reason` (as is: a `DOMException` named `AbortError` for a plain `abort()`,
   * `TimeoutError` for `AbortSignal.timeout`). The shared factory is cancelled only when no other
   * caller still waits on it. Not an entry option: never stored, never passed to the factory.
   */
  signal?: AbortSignal;
};

const DURATIONS = [
  'duration',
  'distributedCacheDuration',
  'jitterMaxDuration',
  'failSafeMaxDuration',
  'distributedCacheFailSafeMaxDuration',
  'failSafeThrottleDuration',
  'factorySoftTimeout',
  'factoryHardTimeout',
  'distributedCacheSoftTimeout',
  'distributedCacheHardTimeout',
  'size',
  'lockTimeout',
] as const;

/**
 * Merges `input` over `base` (TS decision: a partial record never zeroes other defaults, §2) and
 * validates the result; tags are appended to `base.tags` and deep-copied. Throws
 * {@link InvalidOptionError} naming the option.
 */
export function mergeEntryOptions(base: Readonly<EntryOptions>, input: EntryOptionsInput | undefined): EntryOptions {
  const o: EntryOptions = { ...base, ...input, tags: base.tags };
  if (input !== undefined) {
    if (input.tags !== undefined) o.tags = base.tags.length === 0 ? [...input.tags] : [...base.tags, ...input.tags];
    if (input.skipL2 === true) {
      o.skipL2Read = true;
      o.skipL2Write = true;
      o.skipBackplaneNotifications = true;
    }
    delete (o as EntryOptionsInput).skipL2;
    delete (o as EntryOptionsInput).signal;
    validateEntryOptions(o);
  }
  return o;
}

/** Rejects nonsense entry options by naming the option (§3). */
export function validateEntryOptions(o: EntryOptions): void {
  for (const name of DURATIONS) {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidOptionError(name, v, 'must be a finite number ≥ 0');
  }
  if (o.duration <= 0) throw new InvalidOptionError('duration', o.duration, 'must be > 0 ms');
  // TS decision (§3): a fail-safe max below the duration is rejected, not silently ignored.
  if (o.failSafeMaxDuration !== 0 && o.failSafeMaxDuration < o.duration) {
    throw new InvalidOptionError('failSafeMaxDuration', o.failSafeMaxDuration, `must be 0 or ≥ duration (${o.duration} ms)`);
  }
  const t = o.eagerRefreshThreshold;
  if (typeof t !== 'number' || !Number.isFinite(t)) throw new InvalidOptionError('eagerRefreshThreshold', t, 'must be a number');
  if (!Array.isArray(o.tags) || o.tags.some((tag) => typeof tag !== 'string' || tag.length === 0)) {
    throw new InvalidOptionError('tags', o.tags, 'must be an array of non-empty strings');
  }
  if (![-1, 0, 1, 2].includes(o.priority)) throw new InvalidOptionError('priority', o.priority, 'must be -1, 0, 1 or 2');
}

/** Whether the eager refresh threshold enables eager refresh (in (0, 1) exclusive, §5). */
export function eagerRefreshEnabled(o: EntryOptions): boolean {
  return o.eagerRefreshThreshold > 0 && o.eagerRefreshThreshold < 1;
}
