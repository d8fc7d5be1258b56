import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { InvalidOptionError, PeerNotFoundError, PeerStatusError, PeerUnreachableError, TransportClosedError } from './errors';
import { resolveHttpPeerTransportOptions, type HttpPeerTransportOptions, type ResolvedHttpPeerTransportOptions } from './http-peer-transport-options';
import {
  BATCH_CONTENT_TYPE,
  BATCH_PATH,
  CHECK_QUERY,
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
import { PeerCalls } from './peer-calls';
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
 * The production {@link PeerTransport}: HTTP/1.1 to each peer's dist listener
 * (dist-protocol.md §17) over undici. This class shapes each route's request and decodes its
 * answer, coalesces `set`/`remove` into `POST /internal/batch` calls ({@link PeerBatcher}, with a
 * fallback to single calls for older peers) and gzips bodies above `compressionThresholdBytes`;
 * {@link PeerCalls} runs the calls: keep-alive pools per peer (`connectionsPerPeer` sockets,
 * pipelining 1, closed by {@link close}), a whole-request deadline (`timeoutMs` plus a transfer
 * allowance for large bodies), a streamed response-size cap (`responseLimitBytes`), the bearer
 * token (§17.4), TLS (§17.3, ALPN `http/1.1`).
 *
 * Status mapping (§17.1): 2xx → success, 404 → {@link PeerNotFoundError}, other ≥ 300 →
 * {@link PeerStatusError} with the parsed `{error, code}` body; network failure or deadline →
 * {@link PeerUnreachableError}.
 */
export class HttpPeerTransport implements PeerTransport, ControlTransport {
  readonly #options: ResolvedHttpPeerTransportOptions;
  readonly #calls: PeerCalls;
  readonly #batcher: PeerBatcher | undefined;
  /** Peer addresses that answered 404 to the batch route (an older peer): single calls only. */
  readonly #noBatch = new Set<string>();

  /** @param options see {@link HttpPeerTransportOptions}; resolved by `resolveHttpPeerTransportOptions`. */
  constructor(options: HttpPeerTransportOptions = {}) {
    this.#options = resolveHttpPeerTransportOptions(options);
    this.#calls = new PeerCalls(this.#options);
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
    return this.#calls.isClosed;
  }

  /** Number of open connection pools: one per peer address for data, one more once it was probed (diagnostics, tests). */
  get poolCount(): number {
    return this.#calls.poolCount;
  }

  /** `POST /internal/set` (§17.1/§17.2); gzip above `compressionThresholdBytes`. */
  set(peer: PeerAddress, item: WireItem, replicate: boolean, check = false): Promise<void> {
    if (this.#batcher && !this.#noBatch.has(peer.address)) {
      return this.#batched(peer, PeerOp.Set, { kind: 'set', item, replicate, check });
    }
    return this.#setSingle(peer, item, replicate, check);
  }

  async #setSingle(peer: PeerAddress, item: WireItem, replicate: boolean, check: boolean): Promise<void> {
    const json = Buffer.from(JSON.stringify(encodeSetRequest(item, replicate)));
    const threshold = this.#options.compressionThresholdBytes;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    let body = json;
    if (threshold > 0 && json.length > threshold) {
      body = await gzipAsync(json);
      headers['content-encoding'] = 'gzip';
    }
    const path = check ? `/internal/set?${CHECK_QUERY}` : '/internal/set';
    await this.#calls.call(peer, { op: PeerOp.Set, method: 'POST', path, body, headers, coordinates: replicate });
  }

  /** `GET /internal/get?key=` (§7, §17.2); `undefined` on `{"found":false}`. */
  async get(peer: PeerAddress, key: string): Promise<WireItem | undefined> {
    checkKey(key);
    const res = await this.#calls.call(peer, { op: PeerOp.Get, method: 'GET', path: `/internal/get?key=${encodeURIComponent(key)}` });
    return decodeGetResponse(parseWireJson(res.toString('utf8')), this.#options.now);
  }

  /** `DELETE /internal/del?key=&replicate=[&version=&origin=]` (§6). */
  remove(peer: PeerAddress, key: string, replicate: boolean, version?: number, origin?: string, check = false): Promise<void> {
    if (this.#batcher && !this.#noBatch.has(peer.address)) {
      const op: BatchOp = { kind: 'remove', key, replicate, ...(version === undefined ? {} : { version }), ...(origin === undefined ? {} : { origin }), check };
      return this.#batched(peer, PeerOp.Remove, op);
    }
    return this.#removeSingle(peer, key, replicate, version, origin, check);
  }

  async #removeSingle(peer: PeerAddress, key: string, replicate: boolean, version: number | undefined, origin: string | undefined, check: boolean): Promise<void> {
    const query = encodeRemoveQuery({ key, replicate, version, origin });
    await this.#calls.call(peer, { op: PeerOp.Remove, method: 'DELETE', path: `/internal/del?${query}${check ? `&${CHECK_QUERY}` : ''}`, coordinates: replicate });
  }

  /** `GET /health` (§13): resolves on 200 only; `options.timeoutMs` overrides the deadline (heartbeat: H/2). */
  async health(peer: PeerAddress, options: HealthCallOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
      throw new InvalidOptionError('timeoutMs', timeoutMs, 'must be a positive integer');
    }
    await this.#calls.call(peer, { op: PeerOp.Health, method: 'GET', path: '/health', timeoutMs, requireExactly200: true });
  }

  /** Walks `GET /internal/keys` pages (§12); see `walkKeyPages` for when it stops. */
  async keys(peer: PeerAddress, q: string | undefined): Promise<string[]> {
    if (q) checkKey(q, 'q');
    const filter = q === undefined || q === '' ? '' : `&q=${encodeURIComponent(q)}`;
    const { keys } = await walkKeyPages(async (cursor) => {
      const res = await this.#calls.call(peer, { op: PeerOp.Keys, method: 'GET', path: `/internal/keys?cursor=${cursor}${filter}` });
      return decodeKeysPage(parseWireJson(res.toString('utf8')));
    });
    return keys;
  }

  /** `GET /internal/probe?target=` on `relay` (§13); resolves on 200 only. */
  async probeVia(relay: PeerAddress, targetId: string, timeoutMs?: number): Promise<void> {
    const path = `/internal/probe?target=${encodeURIComponent(targetId)}`;
    await this.#calls.call(relay, { op: PeerOp.Probe, method: 'GET', path, timeoutMs, requireExactly200: true });
  }

  /** `POST /internal/gossip` (§14); the answer is the receiver's member list when it sends one. */
  async gossip(peer: PeerAddress, members: readonly WireGossipMember[]): Promise<WireGossipMember[]> {
    const body = Buffer.from(JSON.stringify(members));
    const res = await this.#calls.call(peer, { op: PeerOp.Gossip, method: 'POST', path: '/internal/gossip', body, headers: { 'content-type': 'application/json' } });
    const text = res.toString('utf8').trim();
    if (text === '') return [];
    const parsed: unknown = parseWireJson(text);
    return Array.isArray(parsed) ? (parsed as WireGossipMember[]) : [];
  }

  /** `GET /internal/merkle?peer=&buckets=` (§11, TS per-peer tree over shared ownership). */
  async merkleTree(peer: PeerAddress, q: MerkleQuery): Promise<MerkleTreeBody> {
    const path = `/internal/merkle?peer=${encodeURIComponent(q.peer)}&buckets=${q.buckets}`;
    const res = await this.#calls.call(peer, { op: PeerOp.Merkle, method: 'GET', path });
    return parseWireJson(res.toString('utf8')) as MerkleTreeBody;
  }

  /** `GET /internal/merkle/entries?peer=&buckets=&bucket=` (§11, TS): stamps in the given buckets. */
  async merkleEntries(peer: PeerAddress, q: MerkleQuery, buckets: readonly number[]): Promise<MerkleEntryBody[]> {
    const path = `/internal/merkle/entries?peer=${encodeURIComponent(q.peer)}&buckets=${q.buckets}&bucket=${buckets.join(',')}`;
    const res = await this.#calls.call(peer, { op: PeerOp.Merkle, method: 'GET', path });
    const parsed: unknown = parseWireJson(res.toString('utf8'));
    return Array.isArray(parsed) ? (parsed as MerkleEntryBody[]) : [];
  }

  /** Closes every pool, letting in-flight calls finish (each is bounded by its deadline). Idempotent. */
  close(): Promise<void> {
    return this.#calls.close();
  }

  /**
   * Runs one operation through the peer's batch queue, mapping its result like a single call's
   * status. Promise callbacks instead of an async function: one operation per replica of every
   * write passes here, and each async layer costs a promise and microtask turns.
   */
  #batched(peer: PeerAddress, op: PeerOp, batchOp: BatchOp): Promise<void> {
    if (this.#calls.isClosed) return Promise.reject(new TransportClosedError(op));
    try {
      checkBatchOp(batchOp);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#batcher!.submit(peer, batchOp).then(
      (result) => {
        if (result === undefined) return;
        if (result.version !== undefined) {
          // A checked batch may refuse an unchecked operation riding in it: that caller expects the
          // unchecked answer, "acknowledged and dropped" (F16).
          if (batchOp.check !== true) return;
          throw new PeerStatusError(peer, op, result.status, { error: result.error, code: result.code, version: result.version });
        }
        const body = { error: result.error, code: result.code };
        if (result.status === 404) throw new PeerNotFoundError(peer, op, body);
        throw new PeerStatusError(peer, op, result.status, body);
      },
      (e: unknown) => {
        if (e instanceof PeerNotFoundError && e.op === PeerOp.Batch) {
          // The peer has no batch route (an upstream node): single calls from now on.
          this.#noBatch.add(peer.address);
          return batchOp.kind === 'set'
            ? this.#setSingle(peer, batchOp.item, batchOp.replicate, batchOp.check ?? false)
            : this.#removeSingle(peer, batchOp.key, batchOp.replicate, batchOp.version, batchOp.origin, batchOp.check ?? false);
        }
        throw e;
      },
    );
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
    const path = ops.some((op) => op.check === true) ? `${BATCH_PATH}?${CHECK_QUERY}` : BATCH_PATH;
    const res = await this.#calls.call(peer, { op: PeerOp.Batch, method: 'POST', path, body, headers, coordinates });
    return decodeBatchResponse(res, ops.length);
  }
}
