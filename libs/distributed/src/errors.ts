/** Base of the distributed layer's errors; `code` is the client API wire code, `status` its HTTP status. */
export class DistError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

/** The ring has no owners for a key (cluster initializing): `503 INTERNAL` (client-api.md §3). */
export class NoOwnersError extends DistError {
  constructor() {
    super('INTERNAL', 'no ring owners for key (cluster initializing?)', 503);
  }
}

/**
 * A write reached fewer acks than its consistency level requires: `500 INTERNAL` on the client
 * API, `{"code":"QUORUM_FAILED"}` between peers (dist-protocol.md §5). No rollback.
 */
export class QuorumFailedError extends DistError {
  /** Code on the peer wire. */
  static readonly WIRE_CODE = 'QUORUM_FAILED';

  constructor(
    readonly acks: number,
    readonly needed: number,
  ) {
    super('INTERNAL', 'consistency quorum not achieved', 500);
  }
}

/**
 * A QUORUM or ALL write (or delete) refused before it touched any data: this node cannot reach a
 * majority of the cluster's known members, or fewer owners exist than the configured replication
 * factor requires (docs/decisions.md F1). `503 QUORUM_UNAVAILABLE`, on the client API and
 * between peers. Nothing was written: retrying on a node of the majority side is safe.
 */
export class QuorumUnavailableError extends DistError {
  /** Code on the client API and the peer wire. */
  static readonly CODE = 'QUORUM_UNAVAILABLE';

  constructor(
    readonly reachable: number,
    readonly known: number,
    readonly needed: number,
  ) {
    super(QuorumUnavailableError.CODE, `write quorum unavailable: ${reachable} of ${known} members reachable, ${needed} acks required`, 503);
  }
}

/** No owner of the key could coordinate the write or delete: `500 INTERNAL`. */
export class OwnersUnreachableError extends DistError {
  constructor(op: string, opts?: ErrorOptions) {
    super('INTERNAL', `${op} failed: no owner of the key is reachable`, 500, opts);
  }
}

/**
 * A forward (coordinator request) arrived after the deadline its sender gave it: refused before
 * anything is written, since the sender has asked another owner meanwhile (docs/decisions.md F10).
 * `503 FORWARD_EXPIRED`.
 */
export class ForwardExpiredError extends DistError {
  static readonly CODE = 'FORWARD_EXPIRED';
  constructor(lateMs: number) {
    super(ForwardExpiredError.CODE, `forward arrived ${lateMs} ms after its deadline`, 503);
  }
}

/**
 * A replica refused a checked replica write or delete because it holds a newer version of the key
 * (docs/decisions.md F16): `409 STALE_VERSION` between peers, with the version it holds, so that
 * the coordinator can issue a version above it and send the write again. Only answered to
 * coordinators that ask for the check (`check=1`); upstream senders never see it.
 */
export class StaleVersionError extends DistError {
  static readonly CODE = 'STALE_VERSION';
  constructor(readonly current: number) {
    super(StaleVersionError.CODE, `a newer version is stored here (${current})`, 409);
  }
}

/** A coordinator request reached a node that does not own the key (ring views differ). */
export class NotOwnerError extends DistError {
  constructor() {
    super('NOT_FOUND', 'not owner', 404);
  }
}

/**
 * A write refused because the item is larger than an owner's memory limit
 * (`HYPERCACHE_MAX_MEMORY`): answered by the primary that refused it, by a forwarder whose primary
 * answered `413 ITEM_TOO_LARGE`, or by a coordinator whose replicas refused it so that the write
 * consistency was not met. `413 ITEM_TOO_LARGE`; like QUORUM_FAILED, no rollback of copies stored.
 */
export class ItemRefusedError extends DistError {
  /** Code on the client API and the peer wire. */
  static readonly WIRE_CODE = 'ITEM_TOO_LARGE';

  constructor(message: string, opts?: ErrorOptions) {
    super(ItemRefusedError.WIRE_CODE, message, 413, opts);
  }
}
