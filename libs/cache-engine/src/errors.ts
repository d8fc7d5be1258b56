/**
 * Errors of the cache engine. Each class names one failure; `code` is the wire code of the
 * client API error envelope (client-api.md §3) so the apps' exception filter can map it without
 * knowing the engine. Assert on `code`, never on the message text.
 */

/** Base class of every engine error; `code` is the spec's wire code (client-api.md §3). */
export class CacheError extends Error {
  constructor(
    readonly code: string,
    message: string,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

/** A key that is empty after trimming whitespace (engine.md §1). TS decision: `BAD_REQUEST` (client-api.md §3). */
export class InvalidKeyError extends CacheError {
  constructor(readonly key: unknown) {
    super('BAD_REQUEST', 'invalid key');
  }
}

/** A `null`/`undefined` value (engine.md §1 `nil value`). TS decision: `BAD_REQUEST`. */
export class NilValueError extends CacheError {
  constructor(readonly key: string) {
    super('BAD_REQUEST', 'nil value');
  }
}

/**
 * A negative or non-finite TTL (engine.md §1 `expiration cannot be negative`).
 * TS decision: `BAD_REQUEST` (client-api.md §3 note on negative TTL).
 */
export class InvalidExpirationError extends CacheError {
  constructor(readonly ttlMs: number) {
    super('BAD_REQUEST', ttlMs < 0 ? 'expiration cannot be negative' : `expiration must be a finite number of ms, got ${ttlMs}`);
  }
}

/** A write that would push the byte allocation over `maxCacheSizeBytes` (engine.md §4). Code `INTERNAL`. */
export class CacheFullError extends CacheError {
  constructor(
    readonly key: string,
    readonly sizeBytes: number,
    readonly allocationBytes: number,
    readonly maxCacheSizeBytes: number,
  ) {
    super('INTERNAL', 'cache is full');
  }
}

/**
 * A single item whose accounted size exceeds `maxCacheSizeBytes` with `cacheFullPolicy: 'evict'`:
 * no amount of eviction can make room, so it is refused before anything is evicted. Code
 * `ITEM_TOO_LARGE` (the server answers `413`).
 */
export class ItemTooLargeError extends CacheError {
  constructor(
    readonly key: string,
    readonly sizeBytes: number,
    readonly maxCacheSizeBytes: number,
  ) {
    super('ITEM_TOO_LARGE', `item of ${sizeBytes} bytes is larger than the cache size limit of ${maxCacheSizeBytes} bytes`);
  }
}

/** A missing or expired key where a value is required (engine.md §2 getMultiple, §10 getTyped). Code `NOT_FOUND`. */
export class KeyNotFoundError extends CacheError {
  constructor(readonly key: string) {
    super('NOT_FOUND', 'key not found');
  }
}

/** `getOrSet` on an expired-but-present key (engine.md §2, upstream quirk kept). Code `NOT_FOUND`. */
export class KeyExpiredError extends CacheError {
  constructor(readonly key: string) {
    super('NOT_FOUND', 'key expired');
  }
}

/** `sortBy` with an unknown field or the declared-but-unimplemented `Size` (engine.md §6). Code `BAD_REQUEST`. */
export class InvalidSortFieldError extends CacheError {
  constructor(readonly field: string) {
    super('BAD_REQUEST', `invalid sort field: ${field}`);
  }
}

/** A stored value rejected by a {@link Typed} view's type guard (engine.md §10). Code `INTERNAL`. */
export class TypeMismatchError extends CacheError {
  constructor(readonly key: string) {
    super('INTERNAL', 'cached value type mismatch');
  }
}

/** An option value that makes no sense; names the option and the value (config.md B.1). Code `BAD_REQUEST`. */
export class InvalidOptionError extends CacheError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    reason: string,
  ) {
    super('BAD_REQUEST', `${option} ${reason}, got ${String(value)}`);
  }
}

/** A stats collector name that is not registered (engine.md §7, config.md B.1). Code `BAD_REQUEST`. */
export class StatsCollectorNotFoundError extends CacheError {
  constructor(readonly collectorName: string) {
    super('BAD_REQUEST', `stats collector not found: ${collectorName}`);
  }
}
