import type { EntryOptions } from './entry-options';
import { FactoryFailedError } from './errors';

/**
 * What a factory receives (§4 step c, adaptive caching): a mutable copy of the entry options (changes
 * apply only if the factory succeeds), the stale value when one exists, an abort signal (fired on
 * the hard timeout), and the helpers users of BentoCache/FusionCache ask for most.
 */
export class FactoryContext<T = unknown> {
  /** The key (without the cache's prefix; with the namespace). */
  readonly key: string;
  /** Options used to store the result; change `duration`, `tags`, skip flags… here (adaptive caching). */
  options: EntryOptions;
  /** Whether a stale (logically expired, physically alive) value exists. */
  readonly hasStaleValue: boolean;
  /** The stale value, or `undefined`. */
  readonly staleValue: T | undefined;
  /** Aborted when the factory hard timeout fires; pass it to `fetch` and friends. */
  readonly signal: AbortSignal;
  #skipped = false;

  constructor(key: string, options: EntryOptions, hasStaleValue: boolean, staleValue: T | undefined, signal: AbortSignal) {
    this.key = key;
    this.options = options;
    this.hasStaleValue = hasStaleValue;
    this.staleValue = staleValue;
    this.signal = signal;
  }

  /** The previous value of the key (the stale value; the current one during an eager refresh). */
  get previousValue(): T | undefined {
    return this.staleValue;
  }

  /** Whether {@link skip} was called. */
  get isSkipped(): boolean {
    return this.#skipped;
  }

  /**
   * Returns `value` to the caller without caching it (nothing written to L1/L2, nothing published).
   * Usage: `return ctx.skip(result)`.
   */
  skip<V>(value: V): V {
    this.#skipped = true;
    return value;
  }

  /**
   * Gives up: the caller gets the stale value when one exists (as a fail-safe activation, even when
   * `isFailSafeEnabled` is off), else the call rejects with `FactoryFailedError`.
   */
  fail(reason = 'failed by the factory'): never {
    throw new FactoryFailedError(this.key, reason);
  }
}

/** A factory (§4): produces the value of a missing or stale key. */
export type Factory<T> = (ctx: FactoryContext<T>) => T | Promise<T>;
