import { setTimeout as sleepMs } from 'node:timers/promises';
import { InvalidOptionError, PeerUnreachableError } from '../errors';
import { PeerOp, type HealthCallOptions, type PeerAddress, type PeerTransport } from '../peer-transport';
import type { WireItem } from '../wire';

/**
 * Options of {@link FaultInjectingTransport}. `testOnly: true` is required, at type level and at
 * run time: the class lives only in the `testing` entry (excluded from the build) and cannot be
 * switched on from configuration (dist-protocol.md §18: "impossible to enable from environment
 * variables in production builds").
 */
export interface FaultInjectionOptions {
  /** Must be `true`; acknowledges that this wrapper is for tests only. */
  testOnly: true;
  /** Probability in [0, 1] that a call fails before reaching the peer (clamped). Default 0. */
  dropRate?: number;
  /** Delay added before a call, in ms. Default 0. */
  latencyMs?: number;
  /** Probability in [0, 1] that a call gets `latencyMs` (clamped). Default 1. */
  latencyRate?: number;
  /** Uniform random in [0, 1); inject a seeded one for reproducible runs. Default `Math.random`. */
  random?: () => number;
  /** Waits `ms`; inject a fake to avoid real delays. Default `timers/promises` `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
}

/** Counters of injected faults (the `dist.chaos.*` twins, §16). */
export interface FaultInjectionStats {
  /** Calls failed by the drop rate (`dist.chaos.drops`). */
  drops: number;
  /** Calls delayed (`dist.chaos.latencies`). */
  latencies: number;
  /** Calls refused because their peer was partitioned. */
  partitionRejections: number;
}

/**
 * Wraps any {@link PeerTransport} with the §18 chaos hooks for resilience tests: per-peer
 * partitions ({@link partition}/{@link heal}, by node ID or address), a drop rate and an added
 * latency, all mutable at run time. Faults surface as {@link PeerUnreachableError} raised before
 * the inner transport is called, so the cluster logic sees exactly what a dead link produces.
 * Order per call: partition → drop → latency → (partition re-checked) → inner call.
 */
export class FaultInjectingTransport implements PeerTransport {
  readonly #inner: PeerTransport;
  readonly #partitioned = new Set<string>();
  readonly #random: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #stats: FaultInjectionStats = { drops: 0, latencies: 0, partitionRejections: 0 };
  #dropRate = 0;
  #latencyMs = 0;
  #latencyRate = 1;

  constructor(inner: PeerTransport, options: FaultInjectionOptions) {
    if (options?.testOnly !== true) {
      throw new InvalidOptionError('testOnly', options?.testOnly, 'must be true: fault injection is for tests only');
    }
    this.#inner = inner;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? ((ms) => sleepMs(ms));
    this.setDropRate(options.dropRate ?? 0);
    this.setLatency(options.latencyMs ?? 0, options.latencyRate ?? 1);
  }

  /** Cuts the link to a peer, by node ID or by address, until {@link heal}. */
  partition(peerIdOrAddress: string): void {
    this.#partitioned.add(peerIdOrAddress);
  }

  /** Restores the link to one peer (ID or address, as given to {@link partition}), or to all when omitted. */
  heal(peerIdOrAddress?: string): void {
    if (peerIdOrAddress === undefined) this.#partitioned.clear();
    else this.#partitioned.delete(peerIdOrAddress);
  }

  /** Whether calls to `peer` are currently cut (by its ID or its address). */
  isPartitioned(peer: PeerAddress): boolean {
    return this.#partitioned.has(peer.id) || this.#partitioned.has(peer.address);
  }

  /** Sets the drop probability, clamped to [0, 1] (§18 `SetDropRate`). */
  setDropRate(p: number): void {
    this.#dropRate = clamp01('dropRate', p);
  }

  /** Delays a `rate` share of calls by `ms` (§18 `SetLatency`); `ms` 0 disables. */
  setLatency(ms: number, rate = 1): void {
    if (!Number.isFinite(ms) || ms < 0) throw new InvalidOptionError('latencyMs', ms, 'must be a non-negative number');
    this.#latencyMs = ms;
    this.#latencyRate = clamp01('latencyRate', rate);
  }

  /** A snapshot of the fault counters. */
  get stats(): FaultInjectionStats {
    return { ...this.#stats };
  }

  async set(peer: PeerAddress, item: WireItem, replicate: boolean): Promise<void> {
    await this.#inject(peer, PeerOp.Set);
    return this.#inner.set(peer, item, replicate);
  }

  async get(peer: PeerAddress, key: string): Promise<WireItem | undefined> {
    await this.#inject(peer, PeerOp.Get);
    return this.#inner.get(peer, key);
  }

  async remove(peer: PeerAddress, key: string, replicate: boolean, version?: number, origin?: string): Promise<void> {
    await this.#inject(peer, PeerOp.Remove);
    return this.#inner.remove(peer, key, replicate, version, origin);
  }

  async health(peer: PeerAddress, options?: HealthCallOptions): Promise<void> {
    await this.#inject(peer, PeerOp.Health);
    return this.#inner.health(peer, options);
  }

  async keys(peer: PeerAddress, q: string | undefined): Promise<string[]> {
    await this.#inject(peer, PeerOp.Keys);
    return this.#inner.keys(peer, q);
  }

  /** Closes the inner transport. */
  close(): Promise<void> {
    return this.#inner.close();
  }

  async #inject(peer: PeerAddress, op: PeerOp): Promise<void> {
    this.#refuseIfPartitioned(peer, op);
    if (this.#dropRate > 0 && this.#random() < this.#dropRate) {
      this.#stats.drops++;
      throw new PeerUnreachableError(peer, op, false, 'injected drop', { cause: new Error('fault injection: drop') });
    }
    if (this.#latencyMs > 0 && this.#random() < this.#latencyRate) {
      this.#stats.latencies++;
      await this.#sleep(this.#latencyMs);
      // The link may have been cut while the call was "in flight".
      this.#refuseIfPartitioned(peer, op);
    }
  }

  #refuseIfPartitioned(peer: PeerAddress, op: PeerOp): void {
    if (!this.isPartitioned(peer)) return;
    this.#stats.partitionRejections++;
    throw new PeerUnreachableError(peer, op, false, 'injected partition', { cause: new Error('fault injection: partition') });
  }
}

function clamp01(name: string, p: number): number {
  if (Number.isNaN(p)) throw new InvalidOptionError(name, p, 'must be a number in [0, 1]');
  return Math.min(1, Math.max(0, p));
}
