/** `PUT /v1/cache/:key` answer (client-api.md §5.1). */
export interface PutResult {
  readonly key: string;
  readonly stored: boolean;
  /** The requested TTL; absent without one. */
  readonly ttl_ms?: number;
  readonly bytes: number;
  readonly node: string;
  readonly owners: string[];
}

/** `DELETE /v1/cache/:key` answer (§5.4). */
export interface DeleteResult {
  readonly key: string;
  readonly deleted: boolean;
  readonly node: string;
  readonly owners: string[];
}

/** A value with its metadata (`GET` with `Accept: application/json`, §5.2), value decoded. */
export interface CacheItem {
  readonly key: string;
  readonly value: Buffer;
  readonly version: number;
  readonly origin?: string;
  /** Remaining lifetime in ms; absent without TTL. */
  readonly ttlMs?: number;
  readonly expiresAt?: string;
  readonly lastUpdated?: string;
  readonly node: string;
  readonly owners: string[];
}

/** `HEAD /v1/cache/:key` metadata (§5.3). */
export interface ItemMeta {
  readonly version: number;
  readonly origin?: string;
  readonly lastUpdated?: string;
  readonly ttlMs?: number;
  readonly expiresAt?: string;
  readonly owners: string[];
  readonly node: string;
}

/** One result of a batch get (§5.8), value decoded. */
export interface BatchGetItem {
  readonly key: string;
  readonly found: boolean;
  readonly value?: Buffer;
  readonly version?: number;
  readonly origin?: string;
  readonly ttlMs?: number;
  readonly owners?: string[];
}

/** One item of a batch put: `value` bytes or a string (stored as UTF-8). */
export interface BatchPutItem {
  readonly key: string;
  readonly value: Uint8Array | string;
  /** TTL in ms; 0/absent = none. */
  readonly ttlMs?: number;
}

/** One result of a batch put (§5.8). */
export interface BatchPutResult {
  readonly key: string;
  readonly stored: boolean;
  readonly bytes?: number;
  readonly owners?: string[];
  readonly error?: string;
  readonly code?: string;
}

/** One result of a batch delete (§5.8). */
export interface BatchDeleteResult {
  readonly key: string;
  readonly deleted: boolean;
  readonly owners?: string[];
  readonly error?: string;
  readonly code?: string;
}

/** `GET /v1/owners/:key` (§5.5). */
export interface OwnersResult {
  readonly key: string;
  readonly owners: string[];
  readonly node: string;
}

/** `GET /v1/me` (§5.7). */
export interface Identity {
  readonly id: string;
  readonly scopes: string[];
  readonly capabilities: string[];
}

/** A capability of `GET /v1/me/can`. */
export type Capability = 'cache.read' | 'cache.write' | 'cache.admin';

/** Options of the key browser (§5.6). */
export interface KeyBrowseOptions {
  /** Prefix, or a glob with Go `path.Match` semantics. Default all keys. */
  readonly q?: string;
  /** Page size (server clamps to 500). Default 100. */
  readonly limit?: number;
  /** Cap on the merged set (server clamps to 50 000). Default 10 000. */
  readonly max?: number;
}

/** One page of `GET /v1/cache/keys`. */
export interface KeyPage {
  readonly keys: string[];
  readonly next_cursor: string;
  readonly total_matched: number;
  readonly truncated: boolean;
  readonly node: string;
  readonly partial_nodes?: string[];
}
