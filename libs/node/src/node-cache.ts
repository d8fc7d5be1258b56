import type { KeyPage } from '@hypercache/distributed';

/**
 * The node seam: the one interface the apps (client API, management, later RESP) consume for
 * data. Implemented today by the distributed in-memory cluster ({@link ClusterNodeCache}); a
 * Redis-backed node implements the same interface and the apps do not change.
 */

/** One stored value with the metadata the client API shows (client-api.md §5.2, §5.3). */
export interface NodeItem {
  readonly key: string;
  readonly value: Buffer;
  /** Version (hybrid logical clock on the in-memory cluster). */
  readonly version: number;
  /** Node that assigned the version ('' when unknown). */
  readonly origin: string;
  /** Epoch ms of the write on the node that stored this copy; 0 = unknown. */
  readonly lastUpdatedMs: number;
  /** Absolute expiry, epoch ms; 0 = never. */
  readonly expiresAtMs: number;
}

/** What a write or delete reports back: the key's owners, primary first. */
export interface NodeWriteResult {
  readonly owners: readonly string[];
}

/** One item of {@link NodeCache.setMany}. */
export interface NodeWrite {
  readonly key: string;
  readonly value: Buffer;
  /** TTL in ms; 0 = no expiry. */
  readonly ttlMs: number;
}

/** `GET /v1/cache/keys` query (client-api.md §5.6), already validated and clamped. */
export interface KeyQuery {
  /** Prefix, or a glob when it holds `*`, `?` or `[`; undefined = every key. */
  readonly pattern: string | undefined;
  readonly cursor: number;
  readonly limit: number;
  readonly max: number;
}

/** One page of the key browser (client-api.md §5.6 wire shape; the key browser's own page type). */
export type KeyPageView = KeyPage;

/** Effective engine settings shown by management `GET /config` (no secrets). */
export interface NodeConfigView {
  capacity: number;
  allocation: number;
  maxCacheSize: number;
  evictionIntervalMs: number;
  expirationIntervalMs: number;
  evictionAlgorithm: string;
  replication: number;
  virtualNodesPerNode: number;
}

/** Statistic aggregates of management `GET /stats` (stat name → aggregate, upstream's PascalCase). */
export type NodeStats = Record<string, { Mean: number; Median: number; Min: number; Max: number; Values: number[]; Count: number; Sum: number; Variance: number }>;

/** Operator actions on this node's local store (management routes). */
export interface NodeMaintenance {
  stats(): NodeStats;
  config(): NodeConfigView;
  /** Non-blocking; coalesced with a pending trigger. */
  triggerEviction(): void;
  triggerExpiration(): void;
  /**
   * Local only: no tombstones, no fan-out (the in-memory node: its own store, synchronous). Over
   * Redis: deletes this node's key prefix and resolves when done; this node's data calls made
   * after it see it done.
   */
  clear(): void | Promise<void>;
}

/**
 * The data seam of one node. Every method may reject with a lib error carrying a wire `code`
 * (`BAD_REQUEST`, `NOT_FOUND`, `DRAINING`, `INTERNAL`, …); apps map it with their one filter.
 */
export interface NodeCache {
  /** This node's ID (the `node` field of the answers). */
  readonly nodeId: string;
  /** The item, or undefined when missing or expired. */
  get(key: string): Promise<NodeItem | undefined>;
  /**
   * Optional synchronous fast path of a raw GET: the value when it can be answered locally
   * without metadata, undefined = "call {@link get}". Implementations without one omit it.
   */
  readonly getLocal?: (key: string) => Buffer | undefined;
  set(key: string, value: Buffer, ttlMs: number): Promise<NodeWriteResult>;
  /**
   * Optional synchronous fast path of {@link set}: the result when this node completes the write
   * alone, undefined = nothing was done, "call {@link set}"; throws what `set` would reject with.
   * Implementations without one omit it.
   */
  readonly setLocal?: (key: string, value: Buffer, ttlMs: number) => NodeWriteResult | undefined;
  /** Idempotent: a missing key is also removed. */
  remove(key: string): Promise<NodeWriteResult>;
  /** Batch read: one entry per key, in order. */
  getMany(keys: readonly string[]): Promise<Array<NodeItem | undefined>>;
  /** Batch write: one settled result per item, in order; no atomicity across items. */
  setMany(items: readonly NodeWrite[]): Promise<Array<PromiseSettledResult<NodeWriteResult>>>;
  /** Batch delete: one settled result per key, in order. */
  removeMany(keys: readonly string[]): Promise<Array<PromiseSettledResult<NodeWriteResult>>>;
  /** One page of the cluster-wide key browser; an invalid glob rejects with code `BAD_REQUEST`. */
  keys(query: KeyQuery): Promise<KeyPageView>;
  /** Owners of `key`, primary first (pure; works for never-written keys). */
  ownersOf(key: string): readonly string[];
  readonly maintenance: NodeMaintenance;
}
