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
  #uses = 0;
  #valid = false;

  constructor(o: CoarseClockOptions = {}) {
    this.#source = o.source ?? Date.now;
    this.#resolutionMs = o.resolutionMs ?? 1;
    this.#maxReuse = o.maxReuse ?? 1024;
  }

  /** Current time in epoch ms, at most `resolutionMs` (or `maxReuse` calls) stale. */
  readonly now = (): number => {
    if (this.#valid && ++this.#uses < this.#maxReuse) return this.#cached;
    return this.#refresh();
  };

  #refresh(): number {
    this.#cached = this.#source();
    this.#uses = 0;
    if (!this.#valid) {
      this.#valid = true;
      setTimeout(this.#expire, this.#resolutionMs).unref();
    }
    return this.#cached;
  }

  readonly #expire = (): void => {
    this.#valid = false;
  };
}
