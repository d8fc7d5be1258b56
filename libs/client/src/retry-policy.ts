import { AbortedError, DrainingError, HypercacheError, InternalError, TimeoutError } from './errors';

/**
 * How an operation may be repeated (docs/decisions.md N3):
 * - `read`: GET, HEAD, owners, me, can, topology, key browser pages, batch get. Repeating a read
 *   changes nothing, so every failure except a definite answer (4xx) is retried on the next owner.
 * - `write`: PUT of the same bytes and TTL, DELETE, batch put/delete. Retried when the request
 *   provably did not apply (connection refused, `DRAINING`, `503` no owners) and, with
 *   `retryAmbiguousWrites` (default true), when it may have applied (reset after sending, a `500`
 *   quorum failure, an attempt timeout): the repetition stores the same bytes again, so the final
 *   state is the one the first attempt would have produced; only a concurrent writer of the same
 *   key can observe the order, which was already a race.
 */
export const OperationKind = { Read: 'read', Write: 'write' } as const;
/** One of {@link OperationKind}. */
export type OperationKind = (typeof OperationKind)[keyof typeof OperationKind];

/** Options of the retry policy. Times in ms. */
export interface RetryOptions {
  /** Attempts per call, the first included. Default 8 (≈ 1.6 s of backoff: rides out a failure-detection blip; the call deadline still bounds it). */
  readonly maxAttempts?: number;
  /** Backoff base; attempt n (n ≥ 2, after the first failover) waits base·2^(n-2)·[0.5,1). Default 25. */
  readonly baseDelayMs?: number;
  /** Backoff ceiling. Default 1000. */
  readonly maxDelayMs?: number;
  /** Retry writes whose first attempt may have applied (see {@link OperationKind}). Default true. */
  readonly retryAmbiguousWrites?: boolean;
}

/** {@link RetryOptions} with defaults filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** How a failed attempt ended, as far as the cluster's state is concerned. */
export const FailureKind = {
  /** The request never reached a server (connect refused / DNS / TLS handshake). */
  NotSent: 'not-sent',
  /** The server refused without applying (`DRAINING`, `503`). */
  Refused: 'refused',
  /** It may or may not have applied (reset mid-request, `500`, attempt timeout). */
  Ambiguous: 'ambiguous',
  /** A definite answer (4xx) or the caller's abort / deadline: never retried. */
  Final: 'final',
} as const;
/** One of {@link FailureKind}. */
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Classifies a failed attempt. Transport errors carry their errno / undici code in `cause`. */
export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof AbortedError || err instanceof TimeoutError) return FailureKind.Final;
  if (err instanceof DrainingError) return FailureKind.Refused;
  if (err instanceof InternalError) return err.status === 503 ? FailureKind.Refused : FailureKind.Ambiguous;
  if (err instanceof HypercacheError && err.code !== 'UNAVAILABLE' && err.code !== 'ATTEMPT_TIMEOUT') return FailureKind.Final;
  const code = causeCode(err);
  if (code !== undefined && NOT_SENT_CODES.has(code)) return FailureKind.NotSent;
  return FailureKind.Ambiguous;
}

function causeCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UNAVAILABLE') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Fills in the defaults; rejects nonsense naming the option. */
export function resolveRetryOptions(o: RetryOptions = {}): ResolvedRetryOptions {
  const r = { maxAttempts: o.maxAttempts ?? 8, baseDelayMs: o.baseDelayMs ?? 25, maxDelayMs: o.maxDelayMs ?? 1000, retryAmbiguousWrites: o.retryAmbiguousWrites ?? true };
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1) throw new TypeError(`retry.maxAttempts must be a positive integer, got ${r.maxAttempts}`);
  if (!(r.baseDelayMs >= 0)) throw new TypeError(`retry.baseDelayMs must be ≥ 0, got ${r.baseDelayMs}`);
  if (!(r.maxDelayMs >= r.baseDelayMs)) throw new TypeError(`retry.maxDelayMs must be ≥ baseDelayMs, got ${r.maxDelayMs}`);
  return r;
}

/**
 * The retry decision for one call: {@link next} says whether attempt `attempt` (1-based, the one
 * that just failed) may be followed by another and after how many ms. The second attempt goes to
 * the next owner at once (a different node); later ones back off exponentially with jitter.
 * `random` is injected (tests pass a fixed one).
 */
export class RetryPolicy {
  constructor(
    readonly options: ResolvedRetryOptions,
    readonly random: () => number = Math.random,
  ) {}

  /** `undefined` = give up; else the delay in ms before the next attempt. */
  next(kind: OperationKind, attempt: number, err: unknown): number | undefined {
    if (attempt >= this.options.maxAttempts) return undefined;
    const f = classifyFailure(err);
    if (f === FailureKind.Final) return undefined;
    if (kind === OperationKind.Write && f === FailureKind.Ambiguous && !this.options.retryAmbiguousWrites) return undefined;
    if (attempt === 1) return 0;
    const exp = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 2));
    return Math.floor(exp * (0.5 + this.random() / 2));
  }
}
