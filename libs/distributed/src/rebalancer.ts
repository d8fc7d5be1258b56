import { BackgroundLoop, type Timers } from '@hypercache/loops';
import type { DistMetrics } from './dist-metrics';
import type { DistributedCache } from './distributed-cache';
import type { DistItem } from './local-store';
import type { PeerClient } from './peer-client';

/** An immutable ring snapshot: a new object per membership change (HashRing). */
export interface RingSnapshot {
  ownersOf(key: string): readonly string[];
}

export interface RebalancerOptions {
  /** Scan tick in ms (`HYPERCACHE_REBALANCE_INTERVAL`, 250 ms); ≤ 0 disables the loop. */
  intervalMs?: number;
  /** Items per migration batch (default 128). */
  batchSize?: number;
  /** Batches in flight (default 2). */
  maxConcurrent?: number;
}

export interface RebalancerDeps {
  nodeId: string;
  dist: DistributedCache;
  /** The current immutable ring; a different object means membership changed. */
  ring: () => RingSnapshot;
  peers: PeerClient;
  now: () => number;
  metrics: DistMetrics;
  onError?: (err: unknown, what: string) => void;
  /** Timers of the rebalance loop (default: Node's, unref()'d); tests inject manual ones. */
  timers?: Timers;
}

interface Move {
  readonly key: string;
  readonly target: string;
  /** `true`: migration to the new primary (replicate: true, hinted on failure). `false`: replica diff push. */
  readonly toPrimary: boolean;
  /** Drop the local copy once handed off (this node owns the key no more). */
  readonly dropAfter: boolean;
}

/**
 * Rebalancing on membership change (dist-protocol.md §15). Each tick compares the ring of the
 * last completed scan with the current one; only when they differ are local keys scanned, and
 * only keys whose owner list changed move:
 *
 * - this node no longer owns the key, or was its primary and is not any more → migrate to the new
 *   primary (`replicate: true` with the item's version: the receiver applies it if newer and fans
 *   out); a failed migration becomes a `migration` hint; a key this node no longer owns is then
 *   dropped locally;
 * - this node is the (new) primary → push to each newly added replica (replica diff, not hinted).
 *
 * Keys are compared between two immutable rings instead of recording a per-key owner baseline:
 * same decisions, no per-key memory, and a stable cluster does no work at all (every rebalance
 * counter stays flat, acceptance #63).
 */
export class Rebalancer {
  readonly #d: RebalancerDeps;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  readonly #maxConcurrent: number;
  #scanned: RingSnapshot;
  readonly #loop: BackgroundLoop | undefined;

  constructor(deps: RebalancerDeps, o: RebalancerOptions = {}) {
    this.#d = deps;
    this.#intervalMs = o.intervalMs ?? 250;
    this.#batchSize = o.batchSize ?? 128;
    this.#maxConcurrent = o.maxConcurrent ?? 2;
    for (const [k, v] of [
      ['batchSize', this.#batchSize],
      ['maxConcurrent', this.#maxConcurrent],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`${k} must be a positive integer, got ${v}`);
    }
    this.#scanned = deps.ring();
    this.#loop =
      this.#intervalMs > 0
        ? new BackgroundLoop({ name: 'rebalance', delayMs: this.#intervalMs, timers: deps.timers, tick: () => this.tick(), onError: (e) => this.#d.onError?.(e, 'rebalance') })
        : undefined;
  }

  /** Starts the rebalance loop (when the interval > 0); idempotent. */
  start(): void {
    this.#loop?.start();
  }

  /** Stops the loop; idempotent. */
  stop(): void {
    this.#loop?.stop();
  }

  /** One scan (no-op when the ring did not change since the last completed one). Returns keys moved. */
  async tick(): Promise<number> {
    const ring = this.#d.ring();
    const before = this.#scanned;
    if (ring === before) return 0;
    const started = process.hrtime.bigint();
    const self = this.#d.nodeId;
    const moves: Move[] = [];
    for (const key of this.#d.dist.localKeys()) {
      const was = before.ownersOf(key);
      const now = ring.ownersOf(key);
      if (sameOwners(was, now) || now.length === 0) continue;
      if (!now.includes(self)) {
        moves.push({ key, target: now[0], toPrimary: true, dropAfter: true });
      } else if (was[0] === self && now[0] !== self) {
        moves.push({ key, target: now[0], toPrimary: true, dropAfter: false });
      } else if (now[0] === self) {
        for (const id of now) if (id !== self && !was.includes(id)) moves.push({ key, target: id, toPrimary: false, dropAfter: false });
      }
    }
    await this.#run(moves);
    this.#scanned = ring;
    this.#d.metrics.RebalanceLastNanos = Number(process.hrtime.bigint() - started);
    return moves.length;
  }

  async #run(moves: Move[]): Promise<void> {
    const batches: Move[][] = [];
    for (let i = 0; i < moves.length; i += this.#batchSize) batches.push(moves.slice(i, i + this.#batchSize));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        this.#d.metrics.RebalanceBatches++;
        await Promise.all(batch.map((m) => this.#move(m)));
      }
    };
    if (batches.length > this.#maxConcurrent) this.#d.metrics.RebalanceThrottle += batches.length - this.#maxConcurrent;
    await Promise.all(Array.from({ length: Math.min(this.#maxConcurrent, batches.length) }, worker));
  }

  async #move(m: Move): Promise<void> {
    const item = this.#d.dist.handleGet(m.key);
    if (item === undefined) return; // expired or deleted meanwhile
    const metrics = this.#d.metrics;
    metrics.RebalancedKeys++;
    if (m.toPrimary) {
      metrics.RebalancedPrimary++;
      try {
        await this.#d.peers.set(m.target, item, true);
      } catch {
        this.#d.dist.hints.enqueue(m.target, { kind: 'set', key: item.key, bytes: item.key.length + item.value.length, item }, this.#d.now(), 'migration');
      }
      if (m.dropAfter) this.#dropIfUnchanged(item);
      return;
    }
    metrics.RebalancedReplicaDiff++;
    metrics.ReplicaFanoutSet++;
    await this.#d.peers.set(m.target, item, false).catch(() => undefined);
  }

  /** Drops the local copy unless this node owns the key again or a newer write landed here meanwhile. */
  #dropIfUnchanged(item: DistItem): void {
    if (this.#d.ring().ownersOf(item.key).includes(this.#d.nodeId)) return;
    const current = this.#d.dist.localStamp(item.key);
    if (current !== undefined && !current.tombstone && current.version === item.version && current.origin === item.origin) {
      this.#d.dist.dropLocal(item.key);
    }
  }
}

function sameOwners(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
