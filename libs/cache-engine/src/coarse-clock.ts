/** Options of {@link CoarseClock}. */
export interface CoarseClockOptions {
  /** Underlying clock in epoch ms (default `Date.now`). */
  source?: () => number;
  /** A reading is reused for at most this many ms (default 1; unref()'d one-shot timer). */
  resolutionMs?: number;
  /** …and for at most this many calls, so long synchronous bursts still see time move (default 1024). */
  maxReuse?: number;
}

/**
 * A clock that caches its source's reading for up to `resolutionMs` or `maxReuse` calls, whichever
 * ends first (the `ttlResolution` trick of lru-cache). `Date.now()` costs a clock_gettime per call,
 * which on some VMs is the single most expensive step of a cache hit. The engine's default clock.
 */
export class CoarseClock {
  readonly #source: () => number;
  readonly #resolutionMs: number;
  readonly #maxReuse: number;
  #cached = 0;
  /** Calls left on the cached reading (counting the one that read it); ≤ 0 = read the source again. */
  #budget = 0;
  /** Whether the `resolutionMs` timer is pending (it zeroes the budget when it fires). */
  #armed = false;

  constructor(o: CoarseClockOptions = {}) {
    this.#source = o.source ?? Date.now;
    this.#resolutionMs = o.resolutionMs ?? 1;
    this.#maxReuse = o.maxReuse ?? 1024;
  }

  /**
   * Current time in epoch ms, at most `resolutionMs` (or `maxReuse` calls) stale. One decrement and
   * test per call: small enough for V8 to inline into an engine's read path.
   */
  readonly now = (): number => (--this.#budget > 0 ? this.#cached : this.#refresh());

  #refresh(): number {
    this.#cached = this.#source();
    this.#budget = this.#maxReuse;
    if (!this.#armed) {
      this.#armed = true;
      setTimeout(this.#expire, this.#resolutionMs).unref();
    }
    return this.#cached;
  }

  readonly #expire = (): void => {
    this.#armed = false;
    this.#budget = 0;
  };
}
