import type { EntryOptions } from './entry-options';
import type { Timers } from './timers';

/** How a factory run ended (§6 timeline). */
export type FactoryOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'error'; err: unknown }
  /** Soft timeout with fail-safe and a stale value: serve stale; the factory keeps running. */
  | { kind: 'soft' }
  /** Hard timeout: the factory's signal was aborted and its result will be discarded. */
  | { kind: 'hard' };

/** Default bound of a background completion after a soft timeout without a hard timeout (§6: 60 s). */
export const BACKGROUND_COMPLETION_LIMIT_MS = 60_000;

/**
 * Runs `call` under the factory timeouts of `o` (hybrid-cache.md §6):
 * - settles first → `ok` / `error`;
 * - soft timeout with `softAllowed` (fail-safe on and a stale value) → `soft`; a later success calls
 *   `onLate` when background completion is allowed, if it arrives before the hard timeout (or 60 s);
 * - soft timeout without stale → keeps waiting;
 * - hard timeout → aborts `controller` and resolves `hard`; a later result is discarded.
 */
export function runFactory<T>(
  timers: Timers,
  o: EntryOptions,
  softAllowed: boolean,
  controller: AbortController,
  call: () => Promise<T>,
  onLate: (value: T) => void,
): Promise<FactoryOutcome<T>> {
  return new Promise<FactoryOutcome<T>>((resolve) => {
    let settled = false;
    let softFired = false;
    let abandoned = false;
    let softTimer: unknown;
    let hardTimer: unknown;
    const stop = (): void => {
      if (softTimer !== undefined) timers.clearTimeout(softTimer);
      if (hardTimer !== undefined) timers.clearTimeout(hardTimer);
    };
    const abandon = (): void => {
      abandoned = true;
      controller.abort();
    };
    call().then(
      (value) => {
        if (!settled) {
          settled = true;
          stop();
          resolve({ kind: 'ok', value });
        } else if (softFired && !abandoned && o.allowTimedOutFactoryBackgroundCompletion) {
          stop();
          onLate(value);
        }
      },
      (err: unknown) => {
        if (settled) {
          stop();
          return;
        }
        settled = true;
        stop();
        resolve({ kind: 'error', err });
      },
    );
    if (o.factorySoftTimeout > 0 && softAllowed && (o.factoryHardTimeout === 0 || o.factorySoftTimeout < o.factoryHardTimeout)) {
      softTimer = timers.setTimeout(() => {
        softTimer = undefined;
        if (settled) return;
        settled = true;
        softFired = true;
        // The background wait ends at the hard timeout, or after 60 s without one (§6).
        if (o.factoryHardTimeout === 0) hardTimer = timers.setTimeout(abandon, BACKGROUND_COMPLETION_LIMIT_MS);
        resolve({ kind: 'soft' });
      }, o.factorySoftTimeout);
    }
    if (o.factoryHardTimeout > 0) {
      hardTimer = timers.setTimeout(() => {
        hardTimer = undefined;
        if (settled) {
          abandon();
          return;
        }
        settled = true;
        abandon();
        resolve({ kind: 'hard' });
      }, o.factoryHardTimeout);
    }
  });
}
