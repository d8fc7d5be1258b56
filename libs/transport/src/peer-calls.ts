import { Pool } from 'undici';
import {
  InvalidPeerAddressError,
  PeerNotFoundError,
  PeerResponseTooLargeError,
  PeerStatusError,
  PeerUnreachableError,
  TransportClosedError,
  TransportError,
} from './errors';
import type { ResolvedHttpPeerTransportOptions } from './http-peer-transport-options';
import { PeerOp, type PeerAddress } from './peer-address';

/**
 * Failure-detection calls (health, indirect probe, gossip) ride their own small pool per peer, so
 * they never queue behind data calls waiting on a slow or cut-off third node: a peer whose
 * data connections are all busy still answers its probes, and nodes on the same side of a
 * partition do not suspect each other (issue 21).
 */
const CONTROL_OPS: ReadonlySet<PeerOp> = new Set<PeerOp>([PeerOp.Health, PeerOp.Probe, PeerOp.Gossip]);
const CONTROL_CONNECTIONS = 8;

/**
 * Slowest transfer rate a peer call is allowed before its deadline (bytes per ms ≈ 2 MiB/s): a
 * call's deadline is `timeoutMs` plus 1 ms per this many request-body bytes, so a batch or value
 * of many MiB, which the receiver may also fan out to its replicas before answering, is not cut
 * off by a deadline meant for small messages (docs/decisions.md D18). An 8 MiB batch gets 4 s more.
 */
const TRANSFER_FLOOR_BYTES_PER_MS = 2_048;

/**
 * A coordinator request (`replicate: true`: a forward, a migration, a coordinated delete) is
 * answered only after the receiver's own replica calls, each allowed `timeoutMs`: its deadline is
 * this many times `timeoutMs`, so a replica that hangs (a paused node) fails the receiver's
 * replica call, not the forward waiting on it (docs/decisions.md D18).
 */
const COORDINATOR_DEADLINE_FACTOR = 2;

/** One HTTP request to a peer, as the transport's routes shape it. */
export interface PeerRequest {
  op: PeerOp;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: Buffer;
  headers?: Record<string, string>;
  /** Overrides the computed deadline (health probes: the heartbeat's). */
  timeoutMs?: number;
  /** The receiver answers after its own peer calls (replicate: true): a longer deadline. */
  coordinates?: boolean;
  /** Only `200` is success (health, probes); otherwise any 2xx. */
  requireExactly200?: boolean;
}

/** The part of undici's response body this file uses. */
type ResponseBody = AsyncIterable<Buffer> & { destroy(e?: Error): unknown; on(event: 'error', fn: () => void): unknown };

/**
 * The connection and call layer of the HTTP peer transport (dist-protocol.md §17): one
 * keep-alive undici `Pool` per peer address for data and one for control calls (created on first
 * use), a whole-request deadline per call (connect + headers + body, on the injectable `timers`),
 * a streamed response-size cap, the bearer token and TLS, and the one status mapping: 2xx →
 * the body, 404 → {@link PeerNotFoundError}, other ≥ 300 → {@link PeerStatusError} with the parsed
 * `{error, code}` body, network failure or deadline → {@link PeerUnreachableError}.
 */
export class PeerCalls {
  readonly #o: ResolvedHttpPeerTransportOptions;
  readonly #scheme: 'http' | 'https';
  readonly #baseHeaders: Record<string, string>;
  readonly #pools = new Map<string, Pool>();
  #isClosed = false;

  constructor(options: ResolvedHttpPeerTransportOptions) {
    this.#o = options;
    this.#scheme = options.tls ? 'https' : 'http';
    this.#baseHeaders = options.token ? { authorization: `Bearer ${options.token}` } : {};
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Number of open connection pools. */
  get poolCount(): number {
    return this.#pools.size;
  }

  /** Runs one call; resolves with the response body on success (see the class doc for failures). */
  async call(peer: PeerAddress, req: PeerRequest): Promise<Buffer> {
    if (this.#isClosed) throw new TransportClosedError(req.op);
    const pool = this.#poolFor(peer.address, CONTROL_OPS.has(req.op));
    const base = this.#o.timeoutMs * (req.coordinates ? COORDINATOR_DEADLINE_FACTOR : 1);
    const timeoutMs = req.timeoutMs ?? base + Math.ceil((req.body?.length ?? 0) / TRANSFER_FLOOR_BYTES_PER_MS);
    const deadline = new AbortController();
    const timers = this.#o.timers;
    const timer = timers.setTimeout(() => deadline.abort(), timeoutMs);
    try {
      const res = await untilAborted(
        pool.request({
          method: req.method,
          path: req.path,
          headers: { ...this.#baseHeaders, ...req.headers },
          body: req.body,
          signal: deadline.signal,
        }),
        deadline.signal,
      );
      const body = await this.#readCapped(peer, req.op, res.body, res.headers['content-length']);
      const ok = req.requireExactly200 ? res.statusCode === 200 : res.statusCode >= 200 && res.statusCode < 300;
      if (ok) return body;
      const parsed = parseErrorBody(body);
      if (res.statusCode === 404) throw new PeerNotFoundError(peer, req.op, parsed);
      throw new PeerStatusError(peer, req.op, res.statusCode, parsed);
    } catch (e) {
      if (e instanceof TransportError) throw e;
      if (this.#isClosed && !deadline.signal.aborted) throw new TransportClosedError(req.op);
      const isTimeout = deadline.signal.aborted;
      throw new PeerUnreachableError(peer, req.op, isTimeout, isTimeout ? `no complete answer within ${timeoutMs} ms` : describe(e), {
        cause: e,
      });
    } finally {
      timers.clearTimeout(timer);
    }
  }

  /** Closes every pool, letting in-flight calls finish (each is bounded by its deadline). Idempotent. */
  async close(): Promise<void> {
    this.#isClosed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  async #readCapped(peer: PeerAddress, op: PeerOp, body: ResponseBody, contentLength: unknown): Promise<Buffer> {
    const limit = this.#o.responseLimitBytes;
    const announced = typeof contentLength === 'string' ? Number(contentLength) : Number.NaN;
    if (announced > limit) {
      discard(body);
      throw new PeerResponseTooLargeError(peer, op, limit, announced);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of body) {
      received += chunk.length;
      if (received > limit) {
        // Destroying the body closes the socket: the rest is never read or buffered.
        discard(body);
        throw new PeerResponseTooLargeError(peer, op, limit, received);
      }
      chunks.push(chunk);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
  }

  #poolFor(address: string, control = false): Pool {
    const poolKey = control ? `control ${address}` : address;
    let pool = this.#pools.get(poolKey);
    if (pool) return pool;
    const o = this.#o;
    const origin = originOf(this.#scheme, address);
    const connectTls = o.tls
      ? {
          ca: o.tls.ca as string | Buffer | Array<string | Buffer> | undefined,
          cert: o.tls.cert,
          key: o.tls.key,
          servername: o.tls.servername,
          ALPNProtocols: ['http/1.1'],
        }
      : {};
    pool = new Pool(origin, {
      connections: control ? CONTROL_CONNECTIONS : o.connectionsPerPeer,
      pipelining: 1,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      keepAliveMaxTimeout: o.keepAliveTimeoutMs,
      // The per-call deadline covers connect, headers and body; undici's own timers stay off.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: o.timeoutMs, ...connectTls },
    });
    this.#pools.set(poolKey, pool);
    return pool;
  }
}

const ADDRESS = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

/** `http(s)://host:port` for a peer address (`host:port`, `[v6]:port`), or {@link InvalidPeerAddressError}. */
function originOf(scheme: string, address: string): string {
  const m = ADDRESS.exec(address);
  const port = m ? Number(m[1]) : 0;
  if (port < 1 || port > 65_535) throw new InvalidPeerAddressError(address);
  return `${scheme}://${address}`;
}

/**
 * Settles with `request`, or rejects as soon as `signal` aborts. undici honours an abort only
 * once a connection exists: while the socket is still connecting (a peer behind a firewall that
 * drops packets, a TLS handshake that never completes) the request would wait for the connect
 * timeout, so a 150 ms heartbeat probe took 5 s and a cut-off node was suspected seconds late
 * (issue 21). A response that arrives after the deadline is discarded.
 */
function untilAborted<T extends { body: ResponseBody }>(request: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    request.then((r) => discard(r.body), () => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      request.then((r) => discard(r.body), () => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.then(
      (r) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) discard(r.body);
        else resolve(r);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Destroys a response body; the resulting abort error is expected, not unhandled. */
function discard(body: ResponseBody): void {
  body.on('error', () => {});
  body.destroy();
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
