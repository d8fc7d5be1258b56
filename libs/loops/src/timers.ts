/**
 * The timer seam of every background loop (STYLE.md "injected clock/timers"): production passes
 * {@link SYSTEM_TIMERS}; tests pass `ManualTimers` from `@hypercache/loops/testing` and advance
 * time by hand instead of sleeping.
 */
export interface Timers {
  /** Calls `fn` once after `ms` milliseconds; returns a handle for {@link Timers.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a pending call (a handle already run or cleared is fine). */
  clearTimeout(handle: unknown): void;
}

/**
 * Node's timers, `unref()`'d so a background loop never keeps the process alive. Reads the global
 * `setTimeout` at each call (jest's fake timers replace it after this module loads).
 */
export const SYSTEM_TIMERS: Timers = Object.freeze({
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms).unref(),
  clearTimeout: (handle: unknown): void => clearTimeout(handle as NodeJS.Timeout),
});
