import { CacheError, InvalidOptionError } from '@hypercache/cache-engine';

/**
 * Errors of the Redis backends. Each class names one failure; `code` is the stable wire code
 * (assert on `code`, never on the message). Both extend the engine's `CacheError`, so layers that
 * map `CacheError` codes (the server's error filter) handle them too. No raw ioredis error ever
 * leaves a backend: it is the `cause` of one of these.
 */

/**
 * Redis did not answer: not connected (down, unreachable, failing over, still connecting) or a
 * command timed out (`commandTimeoutMs`). Code `BACKEND_UNAVAILABLE` (the server answers 503).
 * Retrying later may succeed: the backend reconnects on its own.
 */
export class BackendUnavailableError extends CacheError {
  constructor(
    /** Backend name (`redis`, `redis-cluster`). */
    readonly backend: string,
    /** What failed (`get`, `set`, `ping`, …). */
    readonly operation: string,
    cause?: unknown,
  ) {
    super('BACKEND_UNAVAILABLE', `${backend} backend unavailable (${operation}): ${reason(cause)}`, { cause });
  }
}

/**
 * Redis answered with an error reply that is not an availability problem (e.g. `WRONGTYPE` on a
 * key of another program under the same prefix), or a stored record could not be decoded.
 * Code `BACKEND_ERROR`.
 */
export class BackendError extends CacheError {
  constructor(
    readonly backend: string,
    readonly operation: string,
    cause?: unknown,
  ) {
    super('BACKEND_ERROR', `${backend} backend error (${operation}): ${reason(cause)}`, { cause });
  }
}

/** The engine's option error (code `BAD_REQUEST`, `option` names the bad option), re-exported for callers of this lib. */
export { InvalidOptionError };

function reason(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? 'no answer' : String(cause);
}
