import type { VersionStamp } from './version-order';

/** An item as the distributed layer moves it between nodes (the transport's wire item). */
export interface DistItem extends VersionStamp {
  readonly key: string;
  readonly value: Buffer;
  /** Requested TTL in ms, 0 = none. */
  readonly ttlMs: number;
  /** Absolute expiry on the writer's clock (epoch ms), 0 = never (dist-protocol.md §9). */
  readonly expiresAtMs: number;
  /** Epoch ms of the write on the node that stored this copy. */
  readonly lastUpdatedMs: number;
}

/**
 * This node's storage as the distributed layer needs it: exact-version writes (replicas store
 * what the primary decided) and a peek at the stored stamp even for expired items.
 */
export interface LocalStore {
  /** The live, unexpired item, or undefined. */
  read(key: string): DistItem | undefined;
  /** Just the value of the live, unexpired item (the raw-GET fast path), or undefined. */
  readValue(key: string): Buffer | undefined;
  /** Version stamp of whatever is stored for `key`, expired or not. */
  stamp(key: string): VersionStamp | undefined;
  /** Stores `item` with its version, origin and absolute expiry, replacing any copy. */
  write(item: DistItem): void;
  /** Removes the local copy; true when one existed. */
  delete(key: string): boolean;
  /** Every stored key (expired-but-unswept included). */
  keys(): IterableIterator<string> | string[];
}
