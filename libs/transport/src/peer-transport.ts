import type { PeerAddress } from './peer-address';
import type { WireItem } from './wire';

/** Per-call options of {@link PeerTransport.health}. */
export interface HealthCallOptions {
  /**
   * Timeout of this probe in ms, overriding the transport's request timeout. The heartbeat uses
   * `H/2` (dist-protocol.md §14). Default: the transport's `timeoutMs`.
   */
  timeoutMs?: number;
}

/**
 * How one node calls another node's dist listener (dist-protocol.md §17). Implementations:
 * `HttpPeerTransport` (production, undici); tests inject partitions with the server's one
 * fault-injection wrapper (`PeerFaultSwitch`, driven by `test/support/fault-node.cjs`).
 *
 * Error contract, shared by every implementation:
 * - `PeerUnreachableError` (`PEER_UNREACHABLE`): not reached / no answer in time — promote, hint.
 * - `PeerNotFoundError` (`PEER_NOT_FOUND`): HTTP 404 — treat like an unknown node (§17.1).
 * - `PeerStatusError` (`PEER_STATUS`): any other status ≥ 300; `remoteCode` tells application
 *   failures such as `QUORUM_FAILED` apart (§5: no promotion on those).
 * - `PeerResponseTooLargeError`, `MalformedWireError` (`BAD_REQUEST`), `TransportClosedError`.
 */
export interface PeerTransport {
  /**
   * `POST /internal/set`. `replicate: true` = "you are the primary/coordinator, fan out" (forward
   * §5 step 4, migration §15); `false` = "store only" (replica fan-out §5 step 5, hints §8,
   * read-repair §7). Resolves when the peer answered 2xx. `check` (TS, docs/decisions.md F16):
   * a coordinator's replica write that the peer refuses with `409 STALE_VERSION` (body `version`:
   * the newer version it holds) instead of dropping it; peers that do not know it ignore it.
   */
  set(peer: PeerAddress, item: WireItem, replicate: boolean, check?: boolean): Promise<void>;

  /**
   * `GET /internal/get?key=` (§7). Resolves to the peer's stored item (unchecked expiry, §7) or
   * `undefined` on `{"found":false}`.
   */
  get(peer: PeerAddress, key: string): Promise<WireItem | undefined>;

  /**
   * `DELETE /internal/del?key=&replicate=&version=&origin=` (§6). `version`/`origin` are the TS
   * extension carrying the tombstone version (§6 "TS MAY"); omitted when undefined. `check`: as
   * for {@link set}, refused when the peer holds a newer item.
   */
  remove(peer: PeerAddress, key: string, replicate: boolean, version?: number, origin?: string, check?: boolean): Promise<void>;

  /** `GET /health` (§13); resolves on 200, throws otherwise (503 `draining` → `PeerStatusError`). */
  health(peer: PeerAddress, options?: HealthCallOptions): Promise<void>;

  /**
   * Every key the peer holds matching `q` (prefix/glob, §12), walking `GET /internal/keys` pages
   * from cursor 0 until `next_cursor` is empty; stops early (returning what it has) when the
   * cursor does not advance or after 1024 pages.
   */
  keys(peer: PeerAddress, q: string | undefined): Promise<string[]>;

  /** Releases connections; later calls fail with `TransportClosedError`. Idempotent. */
  close(): Promise<void>;
}
