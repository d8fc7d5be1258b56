/**
 * Errors of the hybrid cache (hybrid-cache.md §1). Each class names one failure; `code` is a stable
 * machine-readable code. Assert on `code`, never on the message text.
 */

/** Base class of every hybrid-cache error. */
export class HybridCacheError extends Error {
  constructor(
    readonly code: string,
    message: string,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

/** The factory hard timeout fired and no stale value was usable (§6 `ErrFactoryHardTimeout`). */
export class FactoryHardTimeoutError extends HybridCacheError {
  constructor(readonly key: string, readonly timeoutMs: number) {
    super('FACTORY_HARD_TIMEOUT', `cache: factory hard timeout (key ${JSON.stringify(key)}, ${timeoutMs} ms)`);
  }
}

/** A waiter gave up on the stampede lock after `lockTimeout` ms (§3 `ErrLockTimeout`); the in-flight call continues. */
export class LockTimeoutError extends HybridCacheError {
  constructor(readonly key: string, readonly timeoutMs: number) {
    super('LOCK_TIMEOUT', `cache: stampede lock timeout (key ${JSON.stringify(key)}, ${timeoutMs} ms)`);
  }
}

/** A typed helper found a value of another runtime type (§1). */
export class TypeMismatchError extends HybridCacheError {
  constructor(readonly key: string, readonly want: string, readonly got: string) {
    super('TYPE_MISMATCH', `cache: type mismatch: want ${want}, got ${got}`);
  }
}

/** A construction or entry option is nonsense; `option` names it. */
export class InvalidOptionError extends HybridCacheError {
  constructor(readonly option: string, readonly value: unknown, reason: string) {
    super('BAD_OPTION', `${option} ${reason}, got ${describe(value)}`);
  }
}

/** An L2 adapter was configured without a serializer (§2). */
export class MissingSerializerError extends HybridCacheError {
  constructor() {
    super('BAD_OPTION', 'cache: an L2 adapter requires a Serializer');
  }
}

/** A value could not be serialized or deserialized (§3 `reThrowSerializationExceptions`). */
export class SerializationError extends HybridCacheError {
  constructor(readonly key: string, direction: 'serialize' | 'deserialize', cause: unknown) {
    super('SERIALIZATION', `cache: cannot ${direction} the value of ${JSON.stringify(key)}`, { cause });
  }
}

/** An L2 operation failed or timed out (surfaced only with `reThrowDistributedCacheExceptions`). */
export class DistributedCacheError extends HybridCacheError {
  constructor(readonly op: string, readonly key: string, cause: unknown) {
    super('L2_ERROR', `cache: L2 ${op} failed for ${JSON.stringify(key)}: ${messageOf(cause)}`, { cause });
  }
}

/** A backplane publish failed (surfaced only with `reThrowBackplaneExceptions` and a synchronous publish). */
export class BackplaneError extends HybridCacheError {
  constructor(readonly op: string, cause: unknown) {
    super('BACKPLANE_ERROR', `cache: backplane ${op} failed: ${messageOf(cause)}`, { cause });
  }
}

/** An operation exceeded its hard timeout (L2 or backplane), internally turned into a failure. */
export class OperationTimeoutError extends HybridCacheError {
  constructor(readonly op: string, readonly timeoutMs: number) {
    super('TIMEOUT', `cache: ${op} timed out after ${timeoutMs} ms`);
  }
}

/** The factory gave up through `ctx.fail(reason)`; fail-safe returns the stale value when one exists. */
export class FactoryFailedError extends HybridCacheError {
  constructor(readonly key: string, reason: string) {
    super('FACTORY_FAILED', `cache: factory failed for ${JSON.stringify(key)}: ${reason}`);
  }
}

/** The cache was closed; no more operations are accepted. */
export class CacheClosedError extends HybridCacheError {
  constructor(readonly cacheName: string) {
    super('CLOSED', `cache: ${JSON.stringify(cacheName)} is closed`);
  }
}

/** Message of any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}
