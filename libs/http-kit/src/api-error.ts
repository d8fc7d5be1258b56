/** Stable wire codes of the JSON error envelope and their HTTP status (client-api.md §3). */
export const ErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** One item larger than the node's `HYPERCACHE_MAX_MEMORY` (docs/decisions.md M2). */
  ITEM_TOO_LARGE: 'ITEM_TOO_LARGE',
  DRAINING: 'DRAINING',
  /** A QUORUM/ALL write refused on a node cut off from the majority (docs/decisions.md F1). */
  QUORUM_UNAVAILABLE: 'QUORUM_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  /** The node's Redis backend does not answer within its command timeout (issue 15, docs/decisions.md B23). */
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  /** Redis answered with an error reply, or a record under the prefix could not be decoded (issue 15). */
  BACKEND_ERROR: 'BACKEND_ERROR',
  /** A cluster-only route on a stateless node over Redis (docs/decisions.md B20). */
  NOT_CLUSTERED: 'NOT_CLUSTERED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Default HTTP status of each code; an {@link ApiError} may override it (e.g. 503 INTERNAL). */
export const STATUS_OF_CODE: Readonly<Record<string, number>> = Object.freeze({
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  ITEM_TOO_LARGE: 413,
  DRAINING: 503,
  QUORUM_UNAVAILABLE: 503,
  INTERNAL: 500,
  BACKEND_UNAVAILABLE: 503,
  BACKEND_ERROR: 500,
  NOT_CLUSTERED: 501,
});

/** An error raised by an HTTP adapter with its wire code and status. Libs throw their own errors. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number = STATUS_OF_CODE[code] ?? 500,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The `{error, code}` body every non-2xx JSON response carries. */
export interface ErrorBody {
  error: string;
  code: string;
}
