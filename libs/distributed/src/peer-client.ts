import type { DistItem } from './local-store';

/**
 * Peer calls by node ID. The server adapts the HTTP transport (node ID → dist address through
 * membership); unit tests wire nodes in-process. An unknown ID or an unreachable peer rejects.
 */
export interface PeerClient {
  /** `check`: a coordinator's replica write, refused by a replica holding a newer version (F16). */
  set(peerId: string, item: DistItem, replicate: boolean, check?: boolean): Promise<void>;
  get(peerId: string, key: string): Promise<DistItem | undefined>;
  remove(peerId: string, key: string, replicate: boolean, version?: number, origin?: string, check?: boolean): Promise<void>;
  /** True when `err` is a peer's "consistency quorum not achieved" answer (not an unreachable peer). */
  isQuorumFailure(err: unknown): boolean;
  /** True when `err` is a peer's `413 ITEM_TOO_LARGE` answer: the item exceeds its memory limit (retrying cannot help). */
  isItemTooLarge(err: unknown): boolean;
  /** True when `err` is a peer's `QUORUM_UNAVAILABLE` answer (it refused before writing). Optional. */
  isQuorumUnavailable?(err: unknown): boolean;
  /** True when `err` is a peer's `FORWARD_EXPIRED` answer: a forward arrived after its deadline (F10). Optional. */
  isForwardExpired?(err: unknown): boolean;
  /** The newer version a replica holds when `err` is its `STALE_VERSION` refusal of a checked write (F16). Optional. */
  staleVersion?(err: unknown): number | undefined;
  /** True when `err` means the peer could not be reached (network, deadline). Optional: default every other error. */
  isUnreachable?(err: unknown): boolean;
}
