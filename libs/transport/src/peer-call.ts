import type { Dispatcher } from 'undici';
import { PeerNotFoundError, PeerResponseTooLargeError, PeerStatusError, PeerUnreachableError, TransportClosedError, TransportError } from './errors';
import type { PeerAddress, PeerOp } from './peer-address';

/** What a {@link PeerCall} needs of the transport it belongs to. */
export interface PeerCallOwner {
  readonly isClosed: boolean;
  clearDeadline(timer: unknown): void;
}

/** The request shape a {@link PeerCall} maps answers for. */
export interface PeerCallRequest {
  readonly op: PeerOp;
  readonly requireExactly200?: boolean;
}

/**
 * One peer call as an undici dispatch handler (the legacy `onConnect`/`onHeaders`/`onData`/
 * `onComplete`/`onError` interface, which undici runs without wrapping). Settles its promise
 * exactly once: with the body on success; {@link PeerNotFoundError} on 404;
 * {@link PeerStatusError} on any other non-success status; {@link PeerResponseTooLargeError} as
 * soon as the announced or received body passes `limitBytes` (the connection is aborted, the rest
 * never read); {@link PeerUnreachableError} on a network failure or when the deadline fires
 * (`onDeadline`) — also while the socket is still connecting, which undici would otherwise wait
 * out until its connect timeout (issue 21); {@link TransportClosedError} when the transport was
 * closed under the call.
 */
export class PeerCall implements Dispatcher.DispatchHandler {
  /** The deadline timer (set by the caller right after construction). */
  timer: unknown;
  #abort: ((err?: Error) => void) | undefined;
  #settled = false;
  #status = 0;
  #chunks: Buffer[] = [];
  #received = 0;

  constructor(
    private readonly owner: PeerCallOwner,
    private readonly peer: PeerAddress,
    private readonly req: PeerCallRequest,
    private readonly timeoutMs: number,
    private readonly limitBytes: number,
    private readonly resolve: (body: Buffer) => void,
    private readonly reject: (e: unknown) => void,
  ) {}

  /** The deadline passed: fail as unreachable (timeout) and abort the request if it started. */
  readonly onDeadline = (): void => {
    if (this.#settled) return;
    this.#fail(new PeerUnreachableError(this.peer, this.req.op, true, `no complete answer within ${this.timeoutMs} ms`));
  };

  onConnect(abort: (err?: Error) => void): void {
    // A call that already failed (deadline while connecting) gives its slot back at once.
    if (this.#settled) abort();
    else this.#abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (this.#settled) return false;
    this.#status = statusCode;
    const announced = contentLength(rawHeaders);
    if (announced > this.limitBytes) {
      this.#fail(new PeerResponseTooLargeError(this.peer, this.req.op, this.limitBytes, announced));
      return false;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#settled) return false;
    this.#received += chunk.length;
    if (this.#received > this.limitBytes) {
      // Aborting closes the socket: the rest is never read or buffered.
      this.#fail(new PeerResponseTooLargeError(this.peer, this.req.op, this.limitBytes, this.#received));
      return false;
    }
    this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.owner.clearDeadline(this.timer);
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#received);
    const status = this.#status;
    const ok = this.req.requireExactly200 ? status === 200 : status >= 200 && status < 300;
    if (ok) {
      this.resolve(body);
      return;
    }
    const parsed = parseErrorBody(body);
    this.reject(status === 404 ? new PeerNotFoundError(this.peer, this.req.op, parsed) : new PeerStatusError(this.peer, this.req.op, status, parsed));
  }

  onError(err: Error): void {
    if (this.#settled) return;
    if (err instanceof TransportError) {
      this.#fail(err);
      return;
    }
    this.#fail(
      this.owner.isClosed ? new TransportClosedError(this.req.op) : new PeerUnreachableError(this.peer, this.req.op, false, describe(err), { cause: err }),
    );
  }

  #fail(e: TransportError): void {
    this.#settled = true;
    this.owner.clearDeadline(this.timer);
    this.#chunks = [];
    this.reject(e);
    this.#abort?.(e);
  }
}

/** `Content-Length` from undici's raw header list (name, value, name, value …), NaN when absent. */
function contentLength(raw: Buffer[]): number {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 14 && name.toString('latin1').toLowerCase() === 'content-length') return Number(raw[i + 1]!.toString('latin1'));
  }
  return Number.NaN;
}

function parseErrorBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text.trim();
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}
