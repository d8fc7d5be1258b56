/**
 * The distributed L2 store (§11). Values are opaque bytes (the cache's envelope). A miss is `null`,
 * not an error; deleting a missing key is fine; `ttlMs` 0 = no expiry; the adapter owns its tag
 * bookkeeping; `clear(prefix)` removes only keys starting with `prefix`. `signal` aborts a call
 * that the cache gave up on (hard timeout); adapters should honour it where they can.
 */
export interface L2Adapter {
  /** The stored bytes or `null`. */
  get(key: string, signal?: AbortSignal): Promise<Uint8Array | null>;
  /** Optional batch read (one round trip); the cache falls back to parallel `get`s. */
  getMany?(keys: readonly string[], signal?: AbortSignal): Promise<Array<Uint8Array | null>>;
  /** Stores bytes with a TTL in ms (0 = none) and the entry's tags. */
  set(key: string, value: Uint8Array, ttlMs: number, tags: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Removes a key. */
  delete(key: string, signal?: AbortSignal): Promise<void>;
  /** Removes every key stored with `tag`. */
  deleteByTag(tag: string, signal?: AbortSignal): Promise<void>;
  /** Removes every key starting with `prefix` (an adapter may refuse an empty prefix). */
  clear(prefix: string, signal?: AbortSignal): Promise<void>;
  /** Resolves when the store answers. */
  ping(signal?: AbortSignal): Promise<void>;
}
