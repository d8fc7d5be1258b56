import type { CacheCore } from './cache-core';
import type { CacheEntry } from './entry';
import type { EntryOptions } from './entry-options';

/**
 * Batch factory: receives the keys still missing (namespace-relative, as passed by the caller) and
 * returns their values as a `Map`, a record, or an array in the order of `keys`. A key without a
 * value is returned as `undefined` and not cached.
 */
export type ManyFactory<T> = (keys: string[], ctx: { signal: AbortSignal }) => Promise<Map<string, T> | Record<string, T> | T[]> | Map<string, T> | Record<string, T> | T[];

/**
 * getOrSetMany: L1, one L2 batch read, then one factory call for the keys still missing. Keys another
 * call is already computing join that flight. Fail-safe applies per key: when the factory fails, keys
 * with a stale value (and fail-safe on) get it; otherwise the call rejects.
 */
export async function getOrSetMany<T>(
  core: CacheCore,
  ns: string,
  nsTags: readonly string[] | undefined,
  keys: readonly string[],
  factory: ManyFactory<T>,
  o: EntryOptions,
): Promise<T[]> {
  core.check();
  const out = new Array<T>(keys.length);
  const stale = new Map<number, CacheEntry>();
  const now = core.o.timers.now();
  let missing: number[] = [];
  keys.forEach((key, i) => {
    const e = o.skipL1Read ? undefined : core.l1.lookup(core.key(ns + key), now);
    if (e !== undefined && now < e.logicalExpiry) out[i] = e.value as T;
    else {
      if (e !== undefined) stale.set(i, e);
      missing.push(i);
    }
  });
  core.counters.hits += keys.length - missing.length;
  if (missing.length === 0) return out;
  core.counters.misses += missing.length;

  // Keys someone else is computing: wait for them instead of recomputing.
  const joined: Array<Promise<void>> = [];
  missing = missing.filter((i) => {
    const flight = core.inflightOf(core.key(ns + keys[i]!));
    if (flight === undefined) return true;
    joined.push(flight.then((v) => void (out[i] = v as T)));
    return false;
  });

  if (missing.length > 0) {
    const batch = computeMissing(core, ns, nsTags, keys, missing, factory, o, stale, out);
    for (const i of missing) core.track(core.key(ns + keys[i]!), batch.then(() => out[i]));
    joined.push(batch);
  }
  await Promise.all(joined);
  return out;
}

async function computeMissing<T>(
  core: CacheCore,
  ns: string,
  nsTags: readonly string[] | undefined,
  keys: readonly string[],
  missing: number[],
  factory: ManyFactory<T>,
  o: EntryOptions,
  stale: Map<number, CacheEntry>,
  out: T[],
): Promise<void> {
  const reads = await core.readL2Many(
    missing.map((i) => ns + keys[i]!),
    o,
  );
  const toCompute: number[] = [];
  missing.forEach((i, j) => {
    const r = reads[j]!;
    if (r.entry !== undefined && r.fresh) out[i] = r.entry.value as T;
    else {
      if (r.entry !== undefined && !stale.has(i)) stale.set(i, r.entry);
      toCompute.push(i);
    }
  });
  if (toCompute.length === 0) return;
  core.counters.factoryCalls++;
  let produced: Map<string, T> | Record<string, T> | T[];
  try {
    produced = await factory(
      toCompute.map((i) => keys[i]!),
      { signal: new AbortController().signal },
    );
  } catch (err) {
    core.counters.factoryErrors++;
    if (!o.isFailSafeEnabled || toCompute.some((i) => !stale.has(i))) throw err;
    for (const i of toCompute) out[i] = stale.get(i)!.value as T;
    core.counters.failSafeActivations++;
    return;
  }
  await Promise.all(
    toCompute.map((i, j) => {
      const key = keys[i]!;
      const v = Array.isArray(produced) ? produced[j] : produced instanceof Map ? produced.get(key) : (produced as Record<string, T>)[key];
      out[i] = v as T;
      if (v === undefined) return undefined;
      const full = ns + key;
      return core.store(core.key(full), full, v, o, nsTags);
    }),
  );
}
