import type { DistMetrics } from './dist-metrics';

/** What a hint replays: a replica set, or a delete (tombstone) the target missed. */
export type HintPayload =
  | { readonly kind: 'set'; readonly key: string; readonly bytes: number }
  | { readonly kind: 'remove'; readonly key: string; readonly bytes: number };

/** A queued hint for one target node (dist-protocol.md §8). */
export interface Hint<P extends HintPayload = HintPayload> {
  readonly target: string;
  readonly payload: P;
  readonly queuedAtMs: number;
  readonly expireAtMs: number;
  /** `migration` for rebalance hand-offs (issue 5), `write` otherwise. */
  readonly source: 'write' | 'migration';
}

/** Options of {@link HintQueue}; 0 = unlimited for every cap. */
export interface HintQueueOptions {
  /** Hint lifetime in ms; ≤ 0 disables hinting entirely (hints are not queued). */
  ttlMs: number;
  /** Max hints per target; when full the oldest for that target is dropped first. */
  maxPerNode?: number;
  /** Max hints in total; a new hint over the cap is rejected (`HintedGlobalDropped`). */
  maxTotal?: number;
  /** Max approximate bytes in total; same rejection rule. */
  maxBytes?: number;
}

/**
 * Per-target FIFO queues of deferred replica writes and deletes with TTL and caps, and the replay
 * step the hint loop runs. Metrics go to {@link DistMetrics}.
 */
export class HintQueue<P extends HintPayload = HintPayload> {
  readonly #byTarget = new Map<string, Hint<P>[]>();
  readonly #o: Required<HintQueueOptions>;
  #total = 0;
  #bytes = 0;

  constructor(
    o: HintQueueOptions,
    private readonly metrics: DistMetrics,
  ) {
    for (const k of ['maxPerNode', 'maxTotal', 'maxBytes'] as const) {
      const v = o[k] ?? 0;
      if (!Number.isSafeInteger(v) || v < 0) throw new TypeError(`${k} must be a non-negative integer, got ${v}`);
    }
    this.#o = { ttlMs: o.ttlMs, maxPerNode: o.maxPerNode ?? 0, maxTotal: o.maxTotal ?? 0, maxBytes: o.maxBytes ?? 0 };
  }

  /** Hints currently queued (all targets). */
  get size(): number {
    return this.#total;
  }

  /** Approximate queued bytes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Hints queued for `target`, oldest first (a copy). */
  pending(target: string): Hint<P>[] {
    return [...(this.#byTarget.get(target) ?? [])];
  }

  /** Targets with queued hints. */
  targets(): string[] {
    return [...this.#byTarget.keys()];
  }

  /** Queues a hint; returns false when hinting is disabled or a global cap rejected it. */
  enqueue(target: string, payload: P, nowMs: number, source: Hint['source'] = 'write'): boolean {
    if (this.#o.ttlMs <= 0) return false;
    let queue = this.#byTarget.get(target);
    if (queue === undefined) {
      queue = [];
      this.#byTarget.set(target, queue);
    }
    if (this.#o.maxPerNode > 0 && queue.length >= this.#o.maxPerNode) {
      const oldest = queue.shift()!;
      this.#forget(oldest);
    }
    const overCount = this.#o.maxTotal > 0 && this.#total + 1 > this.#o.maxTotal;
    const overBytes = this.#o.maxBytes > 0 && this.#bytes + payload.bytes > this.#o.maxBytes;
    if (overCount || overBytes) {
      this.metrics.HintedGlobalDropped++;
      if (source === 'migration') this.metrics.MigrationHintDropped++;
      if (queue.length === 0) this.#byTarget.delete(target);
      return false;
    }
    queue.push({ target, payload, queuedAtMs: nowMs, expireAtMs: nowMs + this.#o.ttlMs, source });
    this.#total++;
    this.#bytes += payload.bytes;
    this.metrics.HintedQueued++;
    if (source === 'migration') this.metrics.MigrationHintQueued++;
    this.metrics.HintedBytes = this.#bytes;
    return true;
  }

  /**
   * One replay pass: per target, FIFO; expired hints are dropped (`HintedExpired`); `send`
   * succeeding drops the hint (`HintedReplayed`); a failing send keeps it and stops that target's
   * queue for this pass (order is preserved). Targets are replayed concurrently.
   */
  async replay(nowMs: number, send: (hint: Hint<P>) => Promise<void>): Promise<void> {
    await Promise.all(
      [...this.#byTarget.keys()].map(async (target) => {
        const queue = this.#byTarget.get(target)!;
        while (queue.length > 0) {
          const hint = queue[0];
          if (nowMs > hint.expireAtMs) {
            queue.shift();
            this.#forget(hint);
            this.metrics.HintedExpired++;
            if (hint.source === 'migration') this.metrics.MigrationHintExpired++;
            continue;
          }
          try {
            await send(hint);
          } catch {
            break;
          }
          // The queue may have changed while awaiting; drop this exact hint.
          const i = queue.indexOf(hint);
          if (i >= 0) {
            queue.splice(i, 1);
            this.#forget(hint);
          }
          this.metrics.HintedReplayed++;
          if (hint.source === 'migration') {
            this.metrics.MigrationHintReplayed++;
            this.metrics.MigrationHintLastAgeNanos = (nowMs - hint.queuedAtMs) * 1e6;
          }
        }
        if (queue.length === 0) this.#byTarget.delete(target);
      }),
    );
  }

  /** Drops every queued hint (counted as `HintedDropped`). */
  clear(): void {
    this.metrics.HintedDropped += this.#total;
    this.#byTarget.clear();
    this.#total = 0;
    this.#bytes = 0;
    this.metrics.HintedBytes = 0;
  }

  #forget(hint: Hint<P>): void {
    this.#total--;
    this.#bytes -= hint.payload.bytes;
    this.metrics.HintedBytes = this.#bytes;
  }
}
