import type { CacheCore } from './cache-core';
import type { CacheEntry } from './entry';
import type { EntryOptions } from './entry-options';
import type { L2Read } from './l2/l2-link';
import { publishMiss, publishStale } from './telemetry';

/** A usable entry and whether it is stale. */
export interface ReadResult {
  entry: CacheEntry;
  stale: boolean;
}

/**
 * `get`'s path (§1, §4 b): L1, then L2 (a fresh L2 hit is promoted into L1 unless the key was
 * invalidated meanwhile); a stale entry only with `allowStaleOnReadOnly`. Never calls a factory.
 */
export async function readEntry(core: CacheCore, full: string, o: EntryOptions): Promise<ReadResult | undefined> {
  const k = core.key(full);
  const now = core.now();
  let stale: CacheEntry | undefined;
  if (!o.skipL1Read) {
    const e = core.l1.lookup(k, now);
    if (e !== undefined) {
      if (now < e.logicalExpiry) {
        core.hit(full);
        return { entry: e, stale: false };
      }
      stale = e;
    }
  }
  if (core.l2 !== undefined && !o.skipL2Read && !(o.skipL2ReadWhenStale && stale !== undefined)) {
    const generation = core.l1.generation;
    const r = await core.l2.read(k, full, o, stale !== undefined && o.allowStaleOnReadOnly);
    if (r.entry !== undefined && r.fresh) {
      core.counters.hits++;
      if (!o.skipL1Write && generation === core.l1.generation) core.l1.put(k, r.entry, o.size, o.priority, r.entry.size);
      return { entry: r.entry, stale: false };
    }
    stale ??= r.entry;
  }
  if (stale !== undefined && o.allowStaleOnReadOnly) {
    core.counters.staleHits++;
    if (core.events.active) core.events.emit({ type: 'CacheHit', key: full, isStale: true });
    publishStale(core.name, full, 'read-only');
    return { entry: stale, stale: true };
  }
  core.counters.misses++;
  if (core.events.active) core.events.emit({ type: 'CacheMiss', key: full });
  publishMiss(core.name, full);
  return undefined;
}

/** One L2 batch read for keys that missed L1; fresh hits are promoted into L1. */
export async function readL2Many(core: CacheCore, fulls: readonly string[], o: EntryOptions): Promise<L2Read[]> {
  if (core.l2 === undefined || o.skipL2Read || fulls.length === 0) return fulls.map(() => ({ entry: undefined, fresh: false }));
  const generation = core.l1.generation;
  const reads = await core.l2.readMany(
    fulls.map((f) => core.key(f)),
    fulls,
    o,
  );
  reads.forEach((r, i) => {
    if (r.entry !== undefined && r.fresh && !o.skipL1Write && generation === core.l1.generation) core.l1.put(core.key(fulls[i]!), r.entry, o.size, o.priority, r.entry.size);
  });
  return reads;
}
