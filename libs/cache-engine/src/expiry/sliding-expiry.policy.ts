import type { CacheItem } from '../item';
import type { ExpiryPolicy } from './expiry-policy';

/** Sliding expiry (engine.md §3): a read refreshes `lastAccessMs` and moves `expiresAtMs` to now + TTL. */
export class SlidingExpiryPolicy implements ExpiryPolicy {
  readonly mode = 'sliding' as const;

  touch(item: CacheItem<unknown>, nowMs: number): void {
    item.lastAccessMs = nowMs;
    item.accessCount++;
    if (item.ttlMs !== 0) item.expiresAtMs = nowMs + item.ttlMs;
  }
}
