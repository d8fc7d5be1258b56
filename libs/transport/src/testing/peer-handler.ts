import type { WireItem } from '../wire';

/**
 * The receiving side of the peer protocol as plain calls: what a node's dist listener does for
 * each route (dist-protocol.md §17.1), for `startPeerTestServer` (test-only). A handler receives the
 * same decoded data the HTTP route would (fresh copies, receiver-stamped `lastUpdatedMs`).
 *
 * To answer an HTTP error status, throw a `PeerStatusError`/`PeerNotFoundError` (e.g. 503
 * `draining` from `handleHealth`); any other thrown error is reported to the caller as
 * `PeerStatusError` 500 with body `{error: message, code: err.code ?? 'INTERNAL'}` — the same
 * envelope an app exception filter produces (so `QUORUM_FAILED` reaches the caller as `remoteCode`).
 */
export interface PeerHandler {
  /**
   * `POST /internal/set` (§5): apply `item` (`replicate` = coordinate and fan out). `check`: the
   * call carried `?check=1` (F16; refuse a stale item with a 409 `STALE_VERSION` whose body has
   * the newer `version`).
   */
  handleSet(item: WireItem, replicate: boolean, check?: boolean): Promise<void> | void;
  /** `GET /internal/get` (§7): the stored item, unchecked for expiry, or `undefined`. */
  handleGet(key: string): Promise<WireItem | undefined> | WireItem | undefined;
  /** `DELETE /internal/del` (§6); `version`/`origin` = sender-chosen tombstone version (TS extension). */
  handleRemove(key: string, replicate: boolean, version?: number, origin?: string, check?: boolean): Promise<void> | void;
  /** `GET /health` (§13): return to answer 200 `ok`; throw to answer an error (503 `draining`). */
  handleHealth(): Promise<void> | void;
  /** `GET /internal/keys` (§12) collapsed into one call: every local key matching `q`. */
  handleKeys(q: string | undefined): Promise<readonly string[]> | readonly string[];
}
