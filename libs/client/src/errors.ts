/**
 * Errors of `@hypercache/client`. `code` is the server's wire code (client-api.md §3) or one of the
 * client's own codes: `TIMEOUT`, `ABORTED`, `UNAVAILABLE` (no node answered), `PROTOCOL` (an answer
 * the client cannot read), `CLOSED` (a call after `close()`). Assert on `code`, never on the message.
 */
export class HypercacheError extends Error {
  /**
   * @param code wire code (`NOT_FOUND`, `DRAINING`, …) or a client code.
   * @param status HTTP status of the answer; 0 when there was none.
   * @param node the node that answered (or that the request was sent to).
   */
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
    readonly node?: string,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

/** `400 BAD_REQUEST`: a bad key, TTL, cursor, glob or capability. Never retried. */
export class BadRequestError extends HypercacheError {}
/** `401 UNAUTHORIZED`: no credential resolved. Never retried. */
export class UnauthorizedError extends HypercacheError {}
/** `403 FORBIDDEN`: the credential lacks the route's scope. Never retried. */
export class ForbiddenError extends HypercacheError {}
/** `404 NOT_FOUND` on a route other than a cache read (a cache read miss is `null`, not an error). */
export class NotFoundError extends HypercacheError {}
/** `503 DRAINING`: the node refused the write without applying it; the client tries another owner. */
export class DrainingError extends HypercacheError {}
/** `5xx INTERNAL`: quorum not reached, no owners, transport failure inside the cluster. */
export class InternalError extends HypercacheError {}
/** The call's deadline (`timeoutMs`) passed. */
export class TimeoutError extends HypercacheError {
  constructor(readonly timeoutMs: number, opts?: ErrorOptions) {
    super('TIMEOUT', `no answer within ${timeoutMs} ms`, 0, undefined, opts);
  }
}
/** The caller's `AbortSignal` fired. */
export class AbortedError extends HypercacheError {
  constructor(opts?: ErrorOptions) {
    super('ABORTED', 'the operation was aborted', 0, undefined, opts);
  }
}
/** No node could be reached (connection refused, reset, TLS failure…); `cause` is the last error. */
export class UnavailableError extends HypercacheError {}
/** The server answered something the client cannot read (not the documented JSON). */
export class ProtocolError extends HypercacheError {}
/** A client option is invalid; the message names it. */
export class InvalidClientOptionError extends TypeError {
  constructor(readonly option: string, value: unknown, expected: string) {
    super(`${option} must be ${expected}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
    this.name = new.target.name;
  }
}

/**
 * The typed error for an HTTP error answer: by the body's `code` (client-api.md §3), else by the
 * status (the Go SDK's fallback): 400, 401, 403, 404, 503 → draining, other ≥ 500 → internal.
 */
export function errorFromResponse(status: number, body: string, node: string | undefined): HypercacheError {
  let code: string | undefined;
  let message = body.slice(0, 200) || `HTTP ${status}`;
  try {
    const o = JSON.parse(body) as { code?: unknown; error?: unknown; message?: unknown };
    if (typeof o.code === 'string') code = o.code;
    if (typeof o.error === 'string') message = o.error;
    else if (typeof o.message === 'string') message = o.message;
  } catch {
    // not JSON: classify by status
  }
  code ??= codeOfStatus(status);
  const at = node === undefined ? '' : ` (node ${node})`;
  const text = `${message}${at}`;
  switch (code) {
    case 'BAD_REQUEST':
      return new BadRequestError(code, text, status, node);
    case 'UNAUTHORIZED':
      return new UnauthorizedError(code, text, status, node);
    case 'FORBIDDEN':
      return new ForbiddenError(code, text, status, node);
    case 'NOT_FOUND':
      return new NotFoundError(code, text, status, node);
    case 'DRAINING':
      return new DrainingError(code, text, status, node);
    case 'INTERNAL':
      return new InternalError(code, text, status, node);
    default:
      return status >= 500 ? new InternalError(code, text, status, node) : new HypercacheError(code, text, status, node);
  }
}

function codeOfStatus(status: number): string {
  if (status === 400) return 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 503) return 'DRAINING';
  return status >= 500 ? 'INTERNAL' : `HTTP_${status}`;
}
