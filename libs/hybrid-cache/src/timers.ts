/**
 * The time seam of the hybrid cache: the clock and the one-shot timers that soft/hard timeouts,
 * the lock timeout, retry loops and breakers use. Tests pass a fake (`FakeClock` from
 * `@hypercache/hybrid-cache/testing`); the default reads the wall clock and `unref()`s every timer.
 */
export interface Timers {
  /** Current time in epoch ms. */
  now(): number;
  /** Runs `fn` once after `ms`; the handle cancels it. Real timers must not keep the process alive. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a pending timer (a fired or unknown handle is fine). */
  clearTimeout(handle: unknown): void;
}

/** Wall-clock timers: `Date.now` and `unref()`'d `setTimeout`. */
export const SYSTEM_TIMERS: Timers = Object.freeze({
  now: Date.now,
  setTimeout(fn: () => void, ms: number): unknown {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
});

/** The outcome of {@link raceTimeout}: the value, or the timeout marker. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Resolves with `p`'s value, or with {@link TIMED_OUT} after `ms` (0 = never times out). `p`'s
 * rejection propagates; `p` itself keeps running after a timeout.
 */
export function raceTimeout<T>(timers: Timers, p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  if (ms <= 0) return p;
  return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
    const h = timers.setTimeout(() => resolve(TIMED_OUT), ms);
    p.then(
      (v) => {
        timers.clearTimeout(h);
        resolve(v);
      },
      (e: unknown) => {
        timers.clearTimeout(h);
        reject(e);
      },
    );
  });
}
