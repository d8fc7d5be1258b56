import { Pool } from 'undici';
import { InvalidPeerAddressError, TransportClosedError } from './errors';
import type { ResolvedHttpPeerTransportOptions } from './http-peer-transport-options';
import { PeerOp, type PeerAddress } from './peer-address';
import { PeerCall } from './peer-call';

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

/** The origin a pool dials (`dispatch` options need it). */
const ORIGIN = Symbol('origin');

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
  readonly #pools = new Map<string, Pool & { [ORIGIN]: string }>();
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

  /**
   * Runs one call; resolves with the response body on success (see the class doc for failures).
   *
   * Uses undici's `dispatch` with a plain handler ({@link PeerCall}) instead of `request()`: no
   * AbortController, no Readable body stream and async iterator per call. The sender's CPU per
   * batch call fell from a median 319 to 164 µs (`bench/cluster/peer-batch.bench.mjs`, 12
   * operations per batch, docs/benchmarks.md "Issue 18").
   */
  call(peer: PeerAddress, req: PeerRequest): Promise<Buffer> {
    if (this.#isClosed) return Promise.reject(new TransportClosedError(req.op));
    let pool: Pool & { [ORIGIN]: string };
    try {
      pool = this.#poolFor(peer.address, CONTROL_OPS.has(req.op));
    } catch (e) {
      return Promise.reject(e);
    }
    const base = this.#o.timeoutMs * (req.coordinates ? COORDINATOR_DEADLINE_FACTOR : 1);
    const timeoutMs = req.timeoutMs ?? base + Math.ceil((req.body?.length ?? 0) / TRANSFER_FLOOR_BYTES_PER_MS);
    return new Promise<Buffer>((resolve, reject) => {
      const call = new PeerCall(this, peer, req, timeoutMs, this.#o.responseLimitBytes, resolve, reject);
      call.timer = this.#o.timers.setTimeout(call.onDeadline, timeoutMs);
      pool.dispatch(
        {
          origin: pool[ORIGIN],
          method: req.method,
          path: req.path,
          headers: req.headers === undefined ? this.#baseHeaders : { ...this.#baseHeaders, ...req.headers },
          body: req.body,
        },
        call,
      );
    });
  }

  /** Clears a finished call's deadline timer. */
  clearDeadline(timer: unknown): void {
    this.#o.timers.clearTimeout(timer);
  }

  /** Closes every pool, letting in-flight calls finish (each is bounded by its deadline). Idempotent. */
  async close(): Promise<void> {
    this.#isClosed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  #poolFor(address: string, control = false): Pool & { [ORIGIN]: string } {
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
    pool = Object.assign(new Pool(origin, {
      connections: control ? CONTROL_CONNECTIONS : o.connectionsPerPeer,
      pipelining: 1,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      keepAliveMaxTimeout: o.keepAliveTimeoutMs,
      // The per-call deadline covers connect, headers and body; undici's own timers stay off.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: o.timeoutMs, ...connectTls },
    }), { [ORIGIN]: origin });
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
