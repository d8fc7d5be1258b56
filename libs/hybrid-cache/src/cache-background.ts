import { BackplaneMessageType, type BackplaneMessage } from './backplane/backplane';
import type { CacheCore } from './cache-core';
import type { CacheEntry } from './entry';
import type { EntryOptions } from './entry-options';
import { FactoryHardTimeoutError } from './errors';
import { FactoryContext, type Factory } from './factory-context';
import { runFactory } from './factory-runner';
import { traceFactory } from './telemetry';

/** Timeout of an eager refresh without a factory hard timeout (§5). */
const EAGER_REFRESH_TIMEOUT_MS = 30_000;

/**
 * §5: a fresh L1 hit past the threshold refreshes once, in the background, outside the stampede
 * lock (it is registered as the key's flight so a concurrent miss joins it); the current value is
 * the factory's stale value; a failure only logs.
 */
export function maybeEagerRefresh<T>(
  core: CacheCore,
  k: string,
  full: string,
  e: CacheEntry,
  factory: Factory<T>,
  o: EntryOptions,
  nsTags: readonly string[] | undefined,
  now: number,
): void {
  const span = e.logicalExpiry - e.createdAt;
  if (span <= 0 || (now - e.createdAt) / span < o.eagerRefreshThreshold || core.inflightOf(k) !== undefined || core.isClosed) return;
  e.refreshing = true;
  core.counters.eagerRefreshes++;
  if (core.events.active) core.events.emit({ type: 'EagerRefreshStarted', key: full });
  const controller = new AbortController();
  const ctx = new FactoryContext<T>(full, { ...o, tags: [...o.tags] }, true, e.value as T, controller.signal);
  const timeouts = { ...o, factorySoftTimeout: 0, factoryHardTimeout: o.factoryHardTimeout > 0 ? o.factoryHardTimeout : EAGER_REFRESH_TIMEOUT_MS };
  const refresh = runFactory<T>(core.o.timers, timeouts, false, controller, () => traceFactory(core.name, full, async () => factory(ctx)), () => undefined).then(async (run) => {
    if (run.kind !== 'ok') throw run.kind === 'error' ? run.err : new FactoryHardTimeoutError(full, timeouts.factoryHardTimeout);
    await core.storeFromFactory(k, full, run.value, ctx, nsTags);
    if (core.events.active) core.events.emit({ type: 'EagerRefreshComplete', key: full });
  });
  core.track(k, refresh);
  refresh.catch((err: unknown) => core.logBackground('eager refresh', full, err)).finally(() => (e.refreshing = false));
}

/** Applies a received backplane message to L1 (§9 step 5; tag messages are TS additions). */
export function applyMessage(core: CacheCore, m: BackplaneMessage): void {
  switch (m.type) {
    case BackplaneMessageType.Set:
    case BackplaneMessageType.Delete:
      core.l1.delete(core.key(m.key));
      break;
    case BackplaneMessageType.Expire:
      core.l1.expire(core.key(m.key), core.now());
      break;
    case BackplaneMessageType.Clear:
      core.l1.clear();
      break;
    // The sender's instant, as stored in L2: every instance judges an entry against the same value.
    case BackplaneMessageType.DeleteByTag:
      core.l1.stampTag(m.key, 'delete', m.timestamp);
      break;
    case BackplaneMessageType.ExpireByTag:
      core.l1.stampTag(m.key, 'expire', m.timestamp);
      break;
    default:
      break;
  }
}
