import { newItem } from '../../libs/cache-engine/src/item';
import type { CacheItem } from '@hypercache/cache-engine';

export { AsyncHyperCache } from '@hypercache/cache-engine';

/** A record as the engine writes it at `nowMs` (size = value length, version 1, origin `t`). */
export function newItemForTest<V>(key: string, value: V, nowMs: number, ttlMs: number): CacheItem<V> {
  const size = typeof value === 'string' ? value.length : Buffer.isBuffer(value) ? value.length : 1;
  return newItem(key, value, size, 1, 't', nowMs, ttlMs);
}
