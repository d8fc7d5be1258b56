import { InvalidExpirationError, InvalidKeyError, type CacheError } from './errors';
/**
 * The item record (engine.md §1) with versions (dist-protocol.md §4) and expiry (engine.md §3,
 * dist-protocol.md §9).
 */
export interface CacheItem<V = unknown> {
  /** Non-blank key. */
  key: string;
  /** Never `null`/`undefined`. */
  value: V;
  /** Size in bytes, computed on write (engine.md §4). */
  size: number;
  /** Hybrid-logical-clock version, ≥ 1 (dist-protocol.md §4). */
  version: number;
  /** Node ID that assigned `version`. */
  origin: string;
  /** Epoch ms of the write that produced this record. */
  lastUpdatedMs: number;
  /** Epoch ms of the write or the last successful read. */
  lastAccessMs: number;
  /** Requested TTL in ms; 0 = never expires. */
  ttlMs: number;
  /** Epoch ms after which the item is expired; 0 = never (0 exactly when `ttlMs` is 0). Sliding: lastAccess + ttl; absolute: write time + ttl. */
  expiresAtMs: number;
  /** Successful reads ("touches") since the write. */
  accessCount: number;
}

/**
 * Builds a record as written at `nowMs` (never read yet). Every record is created through
 * {@link itemOf} so all share one hidden class (monomorphic property access).
 */
export function newItem<V>(
  key: string,
  value: V,
  size: number,
  version: number,
  origin: string,
  nowMs: number,
  ttlMs: number,
): CacheItem<V> {
  return itemOf(key, value, size, version, origin, nowMs, nowMs, ttlMs, ttlMs > 0 ? nowMs + ttlMs : 0, 0);
}

/** Builds a record from every field (internal; the in-memory store materializes records with it). */
export function itemOf<V>(
  key: string,
  value: V,
  size: number,
  version: number,
  origin: string,
  lastUpdatedMs: number,
  lastAccessMs: number,
  ttlMs: number,
  expiresAtMs: number,
  accessCount: number,
): CacheItem<V> {
  return { key, value, size, version, origin, lastUpdatedMs, lastAccessMs, ttlMs, expiresAtMs, accessCount };
}

/** A frozen copy of a record: what the engine hands out where the spec says "a copy" (engine.md §2). */
export function copyItem<V>(item: Readonly<CacheItem<V>>): Readonly<CacheItem<V>> {
  return Object.freeze({
    key: item.key,
    value: item.value,
    size: item.size,
    version: item.version,
    origin: item.origin,
    lastUpdatedMs: item.lastUpdatedMs,
    lastAccessMs: item.lastAccessMs,
    ttlMs: item.ttlMs,
    expiresAtMs: item.expiresAtMs,
    accessCount: item.accessCount,
  });
}

/** The expired predicate (engine.md §3): `expiresAtMs > 0 && now > expiresAtMs`, i.e. `now − lastAccess > ttl` when sliding. */
export function isExpired(item: Readonly<CacheItem<unknown>>, nowMs: number): boolean {
  return item.expiresAtMs !== 0 && nowMs > item.expiresAtMs;
}

/** Whether `key` is valid: a string that is not empty after trimming whitespace (engine.md §1). O(1) for keys not starting with whitespace. */
export function isValidKey(key: unknown): key is string {
  if (typeof key !== 'string' || key.length === 0) return false;
  const c = key.charCodeAt(0);
  // Fast path: a first character that is not whitespace makes the key non-blank.
  if (c > 32 && c !== 160 && c < 0x1680) return true;
  return key.trim().length !== 0;
}

/**
 * An exact version for a write decided elsewhere (the distributed layer: a replica stores what its
 * primary issued; dist-protocol.md §4, §9). The engine stores it as given instead of issuing one.
 */
export interface WriteStamp {
  /** Version to store (folded into the engine's clock). */
  readonly version: number;
  /** Node ID that issued it. */
  readonly origin: string;
  /** Absolute expiry, epoch ms on the writer's clock; 0 = never. */
  readonly expiresAtMs: number;
}

/** The validation error of a write's key and TTL, or `undefined` (engine.md §1); internal, shared by both engine facades. */
export function writeError(key: string, ttlMs: number): CacheError | undefined {
  if (!isValidKey(key)) return new InvalidKeyError(key);
  // `!(ttl >= 0)` also rejects NaN; Infinity is rejected as nonsense.
  if (!(ttlMs >= 0) || ttlMs === Number.POSITIVE_INFINITY) return new InvalidExpirationError(ttlMs);
  return undefined;
}
