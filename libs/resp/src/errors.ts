/**
 * Errors of the RESP listener. `code` is the wire code; a protocol error answers
 * `-ERR Protocol error: …` and closes the connection (the node keeps serving).
 */
export class RespError extends Error {
  constructor(
    readonly code: string,
    message: string,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

/** Malformed or over-limit input (bad type byte, bad length, bulk/array/depth/frame over its limit). */
export class RespProtocolError extends RespError {
  constructor(message: string) {
    super('PROTOCOL_ERROR', message);
  }
}
