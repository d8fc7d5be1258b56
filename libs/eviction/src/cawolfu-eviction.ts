import { EVICTION_ALGORITHMS } from './eviction-algorithm';
import type { EvictionOptions } from './eviction-options';
import { LruEviction } from './lru-eviction';

/**
 * "Cache-Aware Write-Optimized LFU" (spec: eviction.md §5; name `cawolfu`).
 *
 * Upstream keeps a per-entry access count but never consults it: the victim is always the list
 * tail, so CAWOLFU evicts exactly like LRU. The spec requires TS to reproduce that (same victims as
 * LRU) unless a true frequency order is decided, so this class *is* an {@link LruEviction} under
 * its own name. The never-read count is not kept: it cannot be observed through the interface.
 *
 * - `set` / `get`: move to most recent. `evict`: least recent.
 * @typeParam K key type (default string).
 */
export class CawolfuEviction<K = string> extends LruEviction<K> {
  /** Registry name (`cawolfu`). */
  override readonly name: string = EVICTION_ALGORITHMS.cawolfu;

  /** @param options `capacity` (items, default 0): preallocation hint; negative → error. */
  constructor(options: EvictionOptions = {}) {
    super(options);
  }
}
