import { batchOpBytes, type BatchOp, type BatchResult } from './batch-wire';
import type { PeerAddress } from './peer-address';

/** Sends one batch to one peer; resolves with one result per operation, rejects if the call failed as a whole. */
export type SendBatch = (peer: PeerAddress, ops: BatchOp[]) => Promise<BatchResult[]>;

/** Limits of {@link PeerBatcher}. */
export interface PeerBatcherLimits {
  /** Most operations per batch. */
  readonly maxOps: number;
  /**
   * Most encoded bytes per batch (estimated by `batchOpBytes`, an upper bound). A batch stops
   * growing before it would pass this; one operation larger than this travels alone. Default
   * unbounded. The transport keeps it well below the receiver's body cap (docs/decisions.md D18).
   */
  readonly maxBytes?: number;
  /** Most batches in flight per peer and lane; more operations wait and ride in the next batch. */
  readonly maxInFlight: number;
  /**
   * Most batches in flight per peer on the coordinator lane (forwards, whose answer waits for the
   * receiver's own fan-out). One forward the receiver cannot complete quickly (its key's other
   * owners are cut off) holds its whole batch until the peer timeout; more batches in flight keep
   * the forwards behind it moving (issue 21). Default `maxInFlight`.
   */
  readonly coordinatorMaxInFlight?: number;
  /**
   * Event-loop turns a flush waits once scheduled (≥ 1), so operations read in the next I/O polls
   * join the batch. Costs a few µs when idle; under load it makes batches larger and peer calls,
   * wake-ups and context switches fewer. Default 1 here; the transport uses 4.
   */
  readonly lingerTurns?: number;
  /**
   * When a batch call fails with an error this accepts (the peer is unreachable), the operations
   * queued behind it in the same lane fail at once with that error instead of riding the next
   * batch into another full timeout: their callers hint or try the next owner now (issue 21).
   * Default: never.
   */
  readonly failQueuedOn?: (err: unknown) => boolean;
}

interface Pending {
  readonly op: BatchOp;
  readonly bytes: number;
  readonly resolve: (r: BatchResult) => void;
  readonly reject: (e: unknown) => void;
}

interface PeerQueue {
  readonly peer: PeerAddress;
  readonly maxInFlight: number;
  pending: Pending[];
  /** Sum of `bytes` over `pending`. */
  pendingBytes: number;
  inFlight: number;
  scheduled: boolean;
  /** Turns left before a scheduled flush runs. */
  turnsLeft: number;
}

/**
 * Coalesces the operations addressed to one peer into batches (adaptive, no timer): an
 * operation is queued and a flush is scheduled `lingerTurns` event-loop turns later
 * (`setImmediate`), so everything queued meanwhile — typically the replica writes of all the
 * requests the server read in those I/O polls — travels in one call; a full batch (`maxOps`)
 * leaves at the next turn. While `maxInFlight` batches are outstanding for a peer, new
 * operations wait and leave with the next batch as soon as one returns. Under light load a batch
 * holds one operation and costs a few event-loop turns (microseconds) of latency.
 *
 * Each peer has two lanes: coordinator operations (`replicate: true` — forwards and migrations,
 * whose answer waits for the receiver's own fan-out) and store operations (`replicate: false`,
 * applied locally by the receiver and answered at once). Store batches never wait on other
 * calls, so a lane full of forwards can never block the replica writes those forwards wait for
 * (two nodes forwarding to each other would otherwise deadlock until the timeout).
 */
export class PeerBatcher {
  /** Lanes by peer address: coordinator operations, store operations. */
  readonly #coordinatorQueues = new Map<string, PeerQueue>();
  readonly #storeQueues = new Map<string, PeerQueue>();
  readonly #send: SendBatch;
  readonly #limits: PeerBatcherLimits;
  readonly #maxBytes: number;
  /** Batches sent since construction (diagnostics). */
  batches = 0;
  /** Operations sent in batches since construction (diagnostics). */
  operations = 0;

  constructor(send: SendBatch, limits: PeerBatcherLimits) {
    this.#send = send;
    this.#limits = limits;
    this.#maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  /** Queues `op` for `peer`; resolves with its own result when its batch returns. */
  submit(peer: PeerAddress, op: BatchOp): Promise<BatchResult> {
    const lanes = op.replicate ? this.#coordinatorQueues : this.#storeQueues;
    let q = lanes.get(peer.address);
    if (q === undefined) {
      const maxInFlight = op.replicate ? (this.#limits.coordinatorMaxInFlight ?? this.#limits.maxInFlight) : this.#limits.maxInFlight;
      q = { peer, maxInFlight, pending: [], pendingBytes: 0, inFlight: 0, scheduled: false, turnsLeft: 0 };
      lanes.set(peer.address, q);
    }
    const queue = q;
    const bytes = batchOpBytes(op);
    return new Promise<BatchResult>((resolve, reject) => {
      queue.pending.push({ op, bytes, resolve, reject });
      queue.pendingBytes += bytes;
      this.#schedule(queue);
    });
  }

  #schedule(q: PeerQueue): void {
    if (q.scheduled || q.inFlight >= q.maxInFlight || q.pending.length === 0) return;
    q.scheduled = true;
    q.turnsLeft = this.#limits.lingerTurns ?? 1;
    setImmediate(this.#tick, q);
  }

  readonly #tick = (q: PeerQueue): void => {
    if (--q.turnsLeft > 0 && q.pending.length < this.#limits.maxOps && q.pendingBytes < this.#maxBytes) {
      setImmediate(this.#tick, q);
      return;
    }
    q.scheduled = false;
    this.#flush(q);
  };

  #flush(q: PeerQueue): void {
    while (q.pending.length > 0 && q.inFlight < q.maxInFlight) {
      const batch = this.#take(q);
      q.inFlight++;
      this.batches++;
      this.operations += batch.length;
      this.#send(
        q.peer,
        batch.map((p) => p.op),
      ).then(
        (results) => batch.forEach((p, i) => p.resolve(results[i])),
        (e: unknown) => {
          batch.forEach((p) => p.reject(e));
          if (this.#limits.failQueuedOn?.(e)) {
            const queued = q.pending;
            q.pending = [];
            q.pendingBytes = 0;
            queued.forEach((p) => p.reject(e));
          }
        },
      ).finally(() => {
        q.inFlight--;
        this.#schedule(q);
      });
    }
  }

  /** Removes the next batch from the queue: at most `maxOps` operations and `maxBytes` bytes, at least one operation. */
  #take(q: PeerQueue): Pending[] {
    if (q.pending.length <= this.#limits.maxOps && q.pendingBytes <= this.#maxBytes) {
      const all = q.pending;
      q.pending = [];
      q.pendingBytes = 0;
      return all;
    }
    let n = 0;
    let bytes = 0;
    const limit = Math.min(q.pending.length, this.#limits.maxOps);
    // The first operation always goes, however large: it could never ride with anything else.
    while (n < limit && (n === 0 || bytes + q.pending[n]!.bytes <= this.#maxBytes)) bytes += q.pending[n++]!.bytes;
    const batch = q.pending.slice(0, n);
    q.pending = q.pending.slice(n);
    q.pendingBytes -= bytes;
    return batch;
  }
}
