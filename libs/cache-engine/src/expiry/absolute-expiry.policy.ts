import type { CacheItem } from '../item';
import type { ExpiryPolicy } from './expiry-policy';

/** Absolute expiry (dist-protocol.md §9): a read records access but never extends `expiresAtMs`. */
export class AbsoluteExpiryPolicy implements ExpiryPolicy {
  readonly mode = 'absolute' as const;

  touch(item: CacheItem<unknown>, nowMs: number): void {
    item.lastAccessMs = nowMs;
    item.accessCount++;
  }
}
