/**
 * Errors of the peer transport. Each class names one failure; `code` is a stable machine code so
 * callers (the distributed cache) can branch without reading messages: an unreachable peer is
 * promoted around and hinted (dist-protocol.md §5, §8), an application failure reported by a
 * reachable peer (e.g. `QUORUM_FAILED`) is not. Assert on `code`, never on the message text.
 */
import type { PeerAddress, PeerOp } from './peer-address';

/** Codes carried by every transport error (closed set). */
export const TransportErrorCode = {
  /** Malformed wire input or an invalid argument (client-api.md §3 `BAD_REQUEST`). */
  BadRequest: 'BAD_REQUEST',
  /** Connect refused/reset, TLS failure, timeout: the request may not have reached the peer. */
  PeerUnreachable: 'PEER_UNREACHABLE',
  /** The peer answered HTTP 404 (dist-protocol.md §17.1: "peer/backend not found"). */
  PeerNotFound: 'PEER_NOT_FOUND',
  /** The peer answered another status ≥ 300 (§17.1); see `status` and `remoteCode`. */
  PeerStatus: 'PEER_STATUS',
  /** The peer's response body exceeded `responseLimitBytes` (§17.3 ResponseLimit). */
  PeerResponseTooLarge: 'PEER_RESPONSE_TOO_LARGE',
  /** The transport was closed before or during the call. */
  TransportClosed: 'TRANSPORT_CLOSED',
} as const;

/** One of {@link TransportErrorCode}. */
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

/** Base class of every transport error; `code` is one of {@link TransportErrorCode}. */
export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

/** Base class of the errors of one peer call; carries the peer and the operation. */
export class PeerCallError extends TransportError {
  constructor(
    code: TransportErrorCode,
    readonly peer: PeerAddress,
    readonly op: PeerOp,
    message: string,
    opts?: ErrorOptions,
  ) {
    super(code, `${op} ${peer.id}@${peer.address}: ${message}`, opts);
  }
}

/**
 * Malformed wire input (dist-protocol.md §17.2: bad JSON, wrong field type, invalid base64, bad
 * RFC 3339 time, key not well-formed Unicode…). Code `BAD_REQUEST`; `field` names the offending
 * field (`body` when the document itself is wrong).
 */
export class MalformedWireError extends TransportError {
  constructor(
    readonly field: string,
    readonly detail: string,
    opts?: ErrorOptions,
  ) {
    super(TransportErrorCode.BadRequest, `malformed ${field}: ${detail}`, opts);
  }
}

/** An option outside its range, named (STYLE "Options and config"). Code `BAD_REQUEST`. */
export class InvalidOptionError extends TransportError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(TransportErrorCode.BadRequest, `${option} ${reason}, got ${String(value)}`);
  }
}

/** A peer address that is not `host:port` (dist-protocol.md §1 "address"). Code `BAD_REQUEST`. */
export class InvalidPeerAddressError extends TransportError {
  constructor(readonly address: string) {
    super(TransportErrorCode.BadRequest, `peer address must be host:port, got ${JSON.stringify(address)}`);
  }
}

/**
 * The peer could not be reached: connection refused or reset, TLS handshake failure, DNS failure,
 * or no complete answer within the request timeout (`isTimeout`). Code `PEER_UNREACHABLE`.
 * Note: a timed-out `set`/`remove` may still have been applied by the peer.
 */
export class PeerUnreachableError extends PeerCallError {
  constructor(
    peer: PeerAddress,
    op: PeerOp,
    readonly isTimeout: boolean,
    detail: string,
    opts?: ErrorOptions,
  ) {
    super(TransportErrorCode.PeerUnreachable, peer, op, detail, opts);
  }
}

/** The peer answered HTTP 404 (dist-protocol.md §17.1: treated like an unknown node). Code `PEER_NOT_FOUND`. */
export class PeerNotFoundError extends PeerCallError {
  constructor(
    peer: PeerAddress,
    op: PeerOp,
    /** Parsed JSON body when it was JSON, else the body text (e.g. `{"error":"not owner"}`). */
    readonly body: unknown,
  ) {
    super(TransportErrorCode.PeerNotFound, peer, op, 'peer answered 404');
  }
}

/**
 * The peer was reached and answered a status ≥ 300 other than 404 (dist-protocol.md §17.1).
 * Code `PEER_STATUS`; `remoteCode` is the `code` of a `{"error","code"}` body, e.g.
 * `QUORUM_FAILED` (§5: the forwarder must not promote itself on that), `undefined` otherwise.
 */
export class PeerStatusError extends PeerCallError {
  /** `code` field of the peer's JSON error body, if any. */
  readonly remoteCode: string | undefined;
  /** `error` field of the peer's JSON error body, if any. */
  readonly remoteMessage: string | undefined;

  constructor(
    peer: PeerAddress,
    op: PeerOp,
    readonly status: number,
    /** Parsed JSON body when it was JSON, else the body text (e.g. `draining`). */
    readonly body: unknown,
  ) {
    const envelope = errorEnvelopeOf(body);
    super(
      TransportErrorCode.PeerStatus,
      peer,
      op,
      `peer answered ${status}${envelope.code ? ` ${envelope.code}` : ''}${envelope.error ? `: ${envelope.error}` : ''}`,
    );
    this.remoteCode = envelope.code;
    this.remoteMessage = envelope.error;
  }
}

/** The response body exceeded the limit; reading stopped there (§17.3 ResponseLimit). Code `PEER_RESPONSE_TOO_LARGE`. */
export class PeerResponseTooLargeError extends PeerCallError {
  constructor(
    peer: PeerAddress,
    op: PeerOp,
    readonly limitBytes: number,
    /** Bytes received (or announced by `Content-Length`) when the call was abandoned. */
    readonly receivedBytes: number,
  ) {
    super(TransportErrorCode.PeerResponseTooLarge, peer, op, `response exceeds ${limitBytes} bytes (at least ${receivedBytes})`);
  }
}

/** A call on a transport after {@link PeerTransport.close}. Code `TRANSPORT_CLOSED`. */
export class TransportClosedError extends TransportError {
  constructor(readonly op: PeerOp) {
    super(TransportErrorCode.TransportClosed, `${op}: transport is closed`);
  }
}

function errorEnvelopeOf(body: unknown): { error?: string; code?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, code } = body as Record<string, unknown>;
  return {
    error: typeof error === 'string' ? error : undefined,
    code: typeof code === 'string' ? code : undefined,
  };
}
