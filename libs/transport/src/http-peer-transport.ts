import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Pool } from 'undici';
import {
  InvalidOptionError,
  InvalidPeerAddressError,
  PeerNotFoundError,
  PeerResponseTooLargeError,
  PeerStatusError,
  PeerUnreachableError,
  TransportClosedError,
  TransportError,
} from './errors';
import {
  resolveHttpPeerTransportOptions,
  type HttpPeerTransportOptions,
  type ResolvedHttpPeerTransportOptions,
} from './http-peer-transport-options';
import {
  BATCH_CONTENT_TYPE,
  BATCH_PATH,
  checkBatchOp,
  decodeBatchResponse,
  encodeBatchRequest,
  type BatchOp,
  type BatchResult,
} from './batch-wire';
import { walkKeyPages } from './key-pages';
import type { ControlTransport, MerkleEntryBody, MerkleQuery, MerkleTreeBody, WireGossipMember } from './control-transport';
import { PeerBatcher } from './peer-batcher';
import { PeerOp, type PeerAddress } from './peer-address';
import type { HealthCallOptions, PeerTransport } from './peer-transport';
import {
  checkKey,
  decodeGetResponse,
  decodeKeysPage,
  encodeRemoveQuery,
  encodeSetRequest,
  parseWireJson,
  type WireItem,
} from './wire';

const gzipAsync = promisify(gzip);

/**
 * Failure-detection calls (health, indirect probe, gossip) ride their own small pool per peer, so
 * they never queue behind data calls waiting on a slow or cut-off third node: a peer whose
 * data connections are all busy still answers its probes, and nodes on the same side of a
 * partition do not suspect each other (issue 21).
 */
const CONTROL_OPS: ReadonlySet<PeerOp> = new Set<PeerOp>([PeerOp.Health, PeerOp.Probe, PeerOp.Gossip]);
const CONTROL_CONNECTIONS = 8;

/**
 * Forward batches in flight per peer (docs/decisions.md F6): a forward that waits for a cut-off
 * owner holds its batch until the timeout; the next forwards leave in another batch meanwhile.
 */
const COORDINATOR_BATCHES_IN_FLIGHT = 8;

/**
 * Event-loop turns a batch flush waits for more operations (`PeerBatcher` lingerTurns). Measured
 * on a 3-node RF 3 cluster sharing one CPU (`npm run bench:cluster`, docs/benchmarks.md):
 * throughput vs one node 0.28 with 1 turn, 0.34 with 2, 0.39–0.40 with 3–4, no gain beyond.
 */
const BATCH_LINGER_TURNS = 4;

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

type Method = 'GET' | 'POST' | 'DELETE';

/** The part of undici's response body this file uses. */
type ResponseBody = AsyncIterable<Buffer> & { destroy(e?: Error): unknown; on(event: 'error', fn: () => void): unknown };

interface PeerRequest {
  op: PeerOp;
  method: Method;
  path: string;
  body?: Buffer;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** The receiver answers after its own peer calls (replicate: true): a longer deadline. */
  coordinates?: boolean;
}

/**
 * The production {@link PeerTransport}: HTTP/1.1 to each peer's dist listener
 * (dist-protocol.md §17) over undici. One keep-alive `Pool` per peer address, created on first
 * use (`connectionsPerPeer` sockets, pipelining 1) and closed by {@link close}. Every call gets a
 * whole-request deadline (`timeoutMs` plus a transfer allowance for large bodies, connect +
 * headers + body), a streamed response-size cap
 * (`responseLimitBytes`), the bearer token when configured (§17.4), TLS when configured (§17.3,
 * ALPN `http/1.1`), and gzip for `set` bodies above `compressionThresholdBytes`.
 *
 * Status mapping (§17.1): 2xx → success, 404 → {@link PeerNotFoundError}, other ≥ 300 →
 * {@link PeerStatusError} with the parsed `{error, code}` body; network failure or deadline →
 * {@link PeerUnreachableError}.
 */
export class HttpPeerTransport implements PeerTransport, ControlTransport {
  readonly #options: ResolvedHttpPeerTransportOptions;
  readonly #scheme: 'http' | 'https';
  readonly #pools = new Map<string, Pool>();
  readonly #baseHeaders: Record<string, string>;
  readonly #batcher: PeerBatcher | undefined;
  /** Peer addresses that answered 404 to the batch route (an older peer): single calls only. */
  readonly #noBatch = new Set<string>();
  #isClosed = false;

  /** @param options see {@link HttpPeerTransportOptions}; resolved by `resolveHttpPeerTransportOptions`. */
  constructor(options: HttpPeerTransportOptions = {}) {
    this.#options = resolveHttpPeerTransportOptions(options);
    this.#scheme = this.#options.tls ? 'https' : 'http';
    this.#baseHeaders = this.#options.token ? { authorization: `Bearer ${this.#options.token}` } : {};
    const { batchMaxOps, batchMaxBytes, batchMaxInFlight } = this.#options;
    this.#batcher =
      batchMaxOps > 0
        ? new PeerBatcher((peer, ops) => this.#sendBatch(peer, ops), {
            maxOps: batchMaxOps,
            maxBytes: batchMaxBytes,
            maxInFlight: batchMaxInFlight,
            coordinatorMaxInFlight: Math.max(batchMaxInFlight, COORDINATOR_BATCHES_IN_FLIGHT),
            lingerTurns: BATCH_LINGER_TURNS,
            failQueuedOn: (e) => e instanceof PeerUnreachableError,
          })
        : undefined;
  }

  /** Batches and operations sent through `POST /internal/batch` so far (diagnostics, tests). */
  get batchStats(): { batches: number; operations: number } {
    return { batches: this.#batcher?.batches ?? 0, operations: this.#batcher?.operations ?? 0 };
  }

  /** True once {@link close} was called. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Number of open connection pools: one per peer address for data, one more once it was probed (diagnostics, tests). */
  get poolCount(): number {
    return this.#pools.size;
  }

  /** `POST /internal/set` (§17.1/§17.2); gzip above `compressionThresholdBytes`. */
  async set(peer: PeerAddress, item: WireItem, replicate: boolean): Promise<void> {
    if (this.#batcher && !this.#noBatch.has(peer.address)) {
      return this.#batched(peer, PeerOp.Set, { kind: 'set', item, replicate });
    }
    const json = Buffer.from(JSON.stringify(encodeSetRequest(item, replicate)));
    const threshold = this.#options.compressionThresholdBytes;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    let body = json;
    if (threshold > 0 && json.length > threshold) {
      body = await gzipAsync(json);
      headers['content-encoding'] = 'gzip';
    }
    await this.#call(peer, { op: PeerOp.Set, method: 'POST', path: '/internal/set', body, headers, coordinates: replicate });
  }

  /** `GET /internal/get?key=` (§7, §17.2); `undefined` on `{"found":false}`. */
  async get(peer: PeerAddress, key: string): Promise<WireItem | undefined> {
    checkKey(key);
    const res = await this.#call(peer, { op: PeerOp.Get, method: 'GET', path: `/internal/get?key=${encodeURIComponent(key)}` });
    return decodeGetResponse(parseWireJson(res.toString('utf8')), this.#options.now);
  }

  /** `DELETE /internal/del?key=&replicate=[&version=&origin=]` (§6). */
  async remove(peer: PeerAddress, key: string, replicate: boolean, version?: number, origin?: string): Promise<void> {
    if (this.#batcher && !this.#noBatch.has(peer.address)) {
      const op: BatchOp = { kind: 'remove', key, replicate, ...(version === undefined ? {} : { version }), ...(origin === undefined ? {} : { origin }) };
      return this.#batched(peer, PeerOp.Remove, op);
    }
    const query = encodeRemoveQuery({ key, replicate, version, origin });
    await this.#call(peer, { op: PeerOp.Remove, method: 'DELETE', path: `/internal/del?${query}`, coordinates: replicate });
  }

  /** `GET /health` (§13): resolves on 200 only; `options.timeoutMs` overrides the deadline (heartbeat: H/2). */
  async health(peer: PeerAddress, options: HealthCallOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
      throw new InvalidOptionError('timeoutMs', timeoutMs, 'must be a positive integer');
    }
    await this.#call(peer, { op: PeerOp.Health, method: 'GET', path: '/health', timeoutMs }, true);
  }

  /** Walks `GET /internal/keys` pages (§12); see `walkKeyPages` for when it stops. */
  async keys(peer: PeerAddress, q: string | undefined): Promise<string[]> {
    if (q) checkKey(q, 'q');
    const filter = q === undefined || q === '' ? '' : `&q=${encodeURIComponent(q)}`;
    const { keys } = await walkKeyPages(async (cursor) => {
      const res = await this.#call(peer, { op: PeerOp.Keys, method: 'GET', path: `/internal/keys?cursor=${cursor}${filter}` });
      return decodeKeysPage(parseWireJson(res.toString('utf8')));
    });
    return keys;
  }

  /** `GET /internal/probe?target=` on `relay` (§13); resolves on 200 only. */
  async probeVia(relay: PeerAddress, targetId: string, timeoutMs?: number): Promise<void> {
    const path = `/internal/probe?target=${encodeURIComponent(targetId)}`;
    await this.#call(relay, { op: PeerOp.Probe, method: 'GET', path, timeoutMs }, true);
  }

  /** `POST /internal/gossip` (§14); the answer is the receiver's member list when it sends one. */
  async gossip(peer: PeerAddress, members: readonly WireGossipMember[]): Promise<WireGossipMember[]> {
    const body = Buffer.from(JSON.stringify(members));
    const res = await this.#call(peer, { op: PeerOp.Gossip, method: 'POST', path: '/internal/gossip', body, headers: { 'content-type': 'application/json' } });
    const text = res.toString('utf8').trim();
    if (text === '') return [];
    const parsed: unknown = parseWireJson(text);
    return Array.isArray(parsed) ? (parsed as WireGossipMember[]) : [];
  }

  /** `GET /internal/merkle?peer=&buckets=` (§11, TS per-peer tree over shared ownership). */
  async merkleTree(peer: PeerAddress, q: MerkleQuery): Promise<MerkleTreeBody> {
    const path = `/internal/merkle?peer=${encodeURIComponent(q.peer)}&buckets=${q.buckets}`;
    const res = await this.#call(peer, { op: PeerOp.Merkle, method: 'GET', path });
    return parseWireJson(res.toString('utf8')) as MerkleTreeBody;
  }

  /** `GET /internal/merkle/entries?peer=&buckets=&bucket=` (§11, TS): stamps in the given buckets. */
  async merkleEntries(peer: PeerAddress, q: MerkleQuery, buckets: readonly number[]): Promise<MerkleEntryBody[]> {
    const path = `/internal/merkle/entries?peer=${encodeURIComponent(q.peer)}&buckets=${q.buckets}&bucket=${buckets.join(',')}`;
    const res = await this.#call(peer, { op: PeerOp.Merkle, method: 'GET', path });
    const parsed: unknown = parseWireJson(res.toString('utf8'));
    return Array.isArray(parsed) ? (parsed as MerkleEntryBody[]) : [];
  }

  /** Closes every pool, letting in-flight calls finish (each is bounded by its deadline). Idempotent. */
  async close(): Promise<void> {
    this.#isClosed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  /** Runs one operation through the peer's batch queue, mapping its result like a single call's status. */
  async #batched(peer: PeerAddress, op: PeerOp, batchOp: BatchOp): Promise<void> {
    if (this.#isClosed) throw new TransportClosedError(op);
    checkBatchOp(batchOp);
    let result: BatchResult;
    try {
      result = await this.#batcher!.submit(peer, batchOp);
    } catch (e) {
      if (e instanceof PeerNotFoundError && e.op === PeerOp.Batch) {
        // The peer has no batch route (an upstream node): single calls from now on.
        this.#noBatch.add(peer.address);
        return batchOp.kind === 'set'
          ? this.set(peer, batchOp.item, batchOp.replicate)
          : this.remove(peer, batchOp.key, batchOp.replicate, batchOp.version, batchOp.origin);
      }
      throw e;
    }
    if (result === undefined) return;
    const body = { error: result.error, code: result.code };
    if (result.status === 404) throw new PeerNotFoundError(peer, op, body);
    throw new PeerStatusError(peer, op, result.status, body);
  }

  /** One `POST /internal/batch` call: MessagePack both ways, gzip above the compression threshold. */
  async #sendBatch(peer: PeerAddress, ops: BatchOp[]): Promise<BatchResult[]> {
    const packed = encodeBatchRequest(ops);
    const headers: Record<string, string> = { 'content-type': BATCH_CONTENT_TYPE };
    let body = packed;
    const threshold = this.#options.compressionThresholdBytes;
    if (threshold > 0 && packed.length > threshold) {
      body = await gzipAsync(packed);
      headers['content-encoding'] = 'gzip';
    }
    // One lane per kind (PeerBatcher): a coordinator batch holds only replicate: true operations.
    const coordinates = ops.some((op) => op.replicate);
    const res = await this.#call(peer, { op: PeerOp.Batch, method: 'POST', path: BATCH_PATH, body, headers, coordinates });
    return decodeBatchResponse(res, ops.length);
  }

  async #call(peer: PeerAddress, req: PeerRequest, requireExactly200 = false): Promise<Buffer> {
    if (this.#isClosed) throw new TransportClosedError(req.op);
    const pool = this.#poolFor(peer.address, CONTROL_OPS.has(req.op));
    const base = this.#options.timeoutMs * (req.coordinates ? COORDINATOR_DEADLINE_FACTOR : 1);
    const timeoutMs = req.timeoutMs ?? base + Math.ceil((req.body?.length ?? 0) / TRANSFER_FLOOR_BYTES_PER_MS);
    const deadline = new AbortController();
    const timers = this.#options.timers;
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
      const ok = requireExactly200 ? res.statusCode === 200 : res.statusCode >= 200 && res.statusCode < 300;
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

  async #readCapped(peer: PeerAddress, op: PeerOp, body: ResponseBody, contentLength: unknown): Promise<Buffer> {
    const limit = this.#options.responseLimitBytes;
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
    const o = this.#options;
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
