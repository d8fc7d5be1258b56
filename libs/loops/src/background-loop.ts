import { SYSTEM_TIMERS, type Timers } from './timers';

/** Options of a {@link BackgroundLoop}. */
export interface BackgroundLoopOptions {
  /** Name used in the error callback (`'hint replay'`, `'rebalance'`, …). */
  name: string;
  /**
   * Delay in ms before each tick, the first one included: a number, or a function read each time a
   * tick is scheduled (variable delays: catch-up modes, retry backoff). Must be finite and ≥ 0.
   */
  delayMs: number | (() => number);
  /**
   * One tick. The next one is scheduled only after it returns (or, when it returns a promise, after
   * that settles): ticks never overlap. `signal` aborts when the loop stops.
   */
  tick: (signal: AbortSignal) => unknown;
  /** Run the first tick synchronously inside `start()` instead of after the first delay. Default false. */
  runAtStart?: boolean;
  /** Called with what a tick threw or rejected with; the loop goes on. Default: ignored. */
  onError?: (err: unknown, name: string) => void;
  /** Timer seam (default {@link SYSTEM_TIMERS}: Node's, unref()'d). */
  timers?: Timers;
}

/**
 * The one background-loop helper (issue 14): a tick every `delayMs`, scheduled after the previous
 * tick settled, on injected, unref()'d timers, owned by an AbortController. `start()` and `stop()`
 * are idempotent; a stopped loop may be started again. A tick that returns synchronously schedules
 * the next one synchronously (so fake timers advance it without flushing promises).
 */
export class BackgroundLoop {
  readonly #name: string;
  readonly #delayMs: () => number;
  readonly #tick: (signal: AbortSignal) => unknown;
  readonly #onError: (err: unknown, name: string) => void;
  readonly #timers: Timers;
  readonly #runAtStart: boolean;
  #abort: AbortController | undefined;
  #handle: unknown;

  constructor(o: BackgroundLoopOptions) {
    const delay = o.delayMs;
    if (typeof delay === 'number') checkDelay(o.name, delay);
    this.#name = o.name;
    this.#delayMs = typeof delay === 'number' ? () => delay : () => checkDelay(o.name, delay());
    this.#tick = o.tick;
    this.#onError = o.onError ?? (() => undefined);
    this.#timers = o.timers ?? SYSTEM_TIMERS;
    this.#runAtStart = o.runAtStart ?? false;
  }

  /** Whether the loop is started and not stopped. */
  get isRunning(): boolean {
    return this.#abort !== undefined;
  }

  /** Schedules the first tick after `delayMs`, or runs it now with `runAtStart` (idempotent while running). */
  start(): void {
    if (this.#abort !== undefined) return;
    const abort = new AbortController();
    this.#abort = abort;
    if (this.#runAtStart) this.#run(abort.signal);
    else this.#schedule(abort.signal);
  }

  /** Cancels the pending tick and aborts a running one's signal (idempotent). */
  stop(): void {
    if (this.#abort === undefined) return;
    this.#abort.abort();
    this.#abort = undefined;
    this.#timers.clearTimeout(this.#handle);
    this.#handle = undefined;
  }

  #schedule(signal: AbortSignal): void {
    if (signal.aborted) return;
    this.#handle = this.#timers.setTimeout(() => this.#run(signal), this.#delayMs());
  }

  #run(signal: AbortSignal): void {
    if (signal.aborted) return;
    let result: unknown;
    try {
      result = this.#tick(signal);
    } catch (err) {
      this.#onError(err, this.#name);
    }
    if (isThenable(result)) {
      result.then(
        () => this.#schedule(signal),
        (err: unknown) => {
          this.#onError(err, this.#name);
          this.#schedule(signal);
        },
      );
    } else {
      this.#schedule(signal);
    }
  }
}

function checkDelay(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${name}: delayMs must be a finite number ≥ 0, got ${ms}`);
  return ms;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as PromiseLike<unknown>).then === 'function';
}
