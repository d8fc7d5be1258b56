import { LockTimeoutError } from './errors';
import { raceTimeout, TIMED_OUT, type Timers } from './timers';

/**
 * `work`, unless `signal` aborts first: then the returned promise rejects at once with
 * `signal.reason` (hybrid-cache.md §6 "caller context cancelled"). `work` keeps running; its later
 * rejection is handled here so it never surfaces as unhandled. The listener is removed on settle.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort?: () => void): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    onAbort?.();
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbort?.();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(err as Error);
      },
    );
  });
}

/**
 * Who may cancel a getOrSet single flight (§6 "caller context cancelled"): it is cancelled only when
 * every caller waiting on it had a signal and all of those aborted. A caller without a signal pins it.
 */
export interface FlightCancel {
  /** Aborted when the last caller gives up; linked to the factory's `ctx.signal`. */
  readonly controller: AbortController;
  /** A caller without a signal waits: the flight can no longer be cancelled. */
  pinned: boolean;
  /** Callers with a signal still waiting. */
  waiters: number;
}

/**
 * Waits for `wait` (the flight, or the flight under a lock timeout) on behalf of one caller. With a
 * signal the caller rejects at once on abort; the flight is cancelled (`cancel.controller` aborted
 * with the caller's reason, then `release` called) only when no other caller still waits on it.
 * Flights without a `cancel` record (eager refreshes) are never cancelled by a caller.
 */
export function joinFlight<T>(cancel: FlightCancel | undefined, wait: Promise<T>, signal: AbortSignal | undefined, release: () => void): Promise<T> {
  if (signal === undefined) {
    if (cancel !== undefined) cancel.pinned = true;
    return wait;
  }
  if (cancel !== undefined) cancel.waiters++;
  return untilAborted(wait, signal, () => {
    if (cancel === undefined || --cancel.waiters > 0 || cancel.pinned) return;
    cancel.controller.abort(signal.reason);
    release();
  });
}

/** `flight`, or {@link LockTimeoutError} after `ms` (§3 `lockTimeout`, > 0); the flight itself continues. */
export async function withLockTimeout<T>(timers: Timers, flight: Promise<T>, full: string, ms: number): Promise<T> {
  const result = await raceTimeout(timers, flight, ms);
  if (result === TIMED_OUT) throw new LockTimeoutError(full, ms);
  return result;
}
