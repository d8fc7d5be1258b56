/**
 * Errors raised by the eviction library (spec: eviction.md §1, §7, §8).
 * Each class names one failure; `code` is a stable machine-readable code that callers and tests
 * assert on (eviction errors are construction-time errors and never reach the wire as such).
 */

/** Stable codes carried by {@link EvictionError} subclasses. */
export const EVICTION_ERROR_CODES = {
  algorithmNotFound: 'ALGORITHM_NOT_FOUND',
  emptyParam: 'PARAM_EMPTY',
  negativeCapacity: 'NEGATIVE_CAPACITY',
  invalidCapacity: 'INVALID_CAPACITY',
  invalidShardCount: 'INVALID_SHARD_COUNT',
  invalidOption: 'INVALID_OPTION',
} as const;

/** Union of the values of {@link EVICTION_ERROR_CODES}. */
export type EvictionErrorCode = (typeof EVICTION_ERROR_CODES)[keyof typeof EVICTION_ERROR_CODES];

/** Base class of every error thrown by `@hypercache/eviction`. */
export class EvictionError extends Error {
  constructor(
    readonly code: EvictionErrorCode,
    message: string,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

/** A registry was asked for a name it does not hold (spec: eviction.md §7, config.md B.1). */
export class AlgorithmNotFoundError extends EvictionError {
  constructor(readonly algorithm: string) {
    super(EVICTION_ERROR_CODES.algorithmNotFound, `algorithm not found: ${algorithm}`);
  }
}

/** An algorithm name was empty when registering or creating (spec: eviction.md §7). */
export class EmptyParamError extends EvictionError {
  constructor(readonly param: string) {
    super(EVICTION_ERROR_CODES.emptyParam, `param cannot be empty: ${param}`);
  }
}

/** Capacity below zero (spec: eviction.md §1 invariant 5; message is the upstream one). */
export class NegativeCapacityError extends EvictionError {
  constructor(readonly capacity: number) {
    super(EVICTION_ERROR_CODES.negativeCapacity, 'capacity cannot be negative');
  }
}

/** Capacity that is not a safe integer, or zero where an algorithm (ARC) needs a bound. */
export class InvalidCapacityError extends EvictionError {
  constructor(
    readonly capacity: number,
    reason: string,
  ) {
    super(EVICTION_ERROR_CODES.invalidCapacity, `capacity ${reason}, got ${capacity}`);
  }
}

/** Shard count that is not a power of two (spec: eviction.md §8, config.md B.1). */
export class InvalidShardCountError extends EvictionError {
  constructor(readonly shardCount: number) {
    super(EVICTION_ERROR_CODES.invalidShardCount, `shardCount must be a power of two, got ${shardCount}`);
  }
}

/** Any other option with a nonsensical value; the message names the option. */
export class InvalidEvictionOptionError extends EvictionError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(EVICTION_ERROR_CODES.invalidOption, `${option} must be ${expected}, got ${String(value)}`);
  }
}
