import type { CircuitBreaker } from '../circuit-breaker';
import type { EntryOptions } from '../entry-options';
import { BackplaneError, OperationTimeoutError } from '../errors';
import type { CacheEvents } from '../events';
import type { HybridCacheLogger } from '../logger';
import type { HybridCacheCounters } from '../telemetry';
import { TIMED_OUT, raceTimeout, type Timers } from '../timers';
import { BackplaneMessageType, type Backplane, type BackplaneMessage } from './backplane';

/** What the backplane link needs from its cache. */
export interface BackplaneLinkDeps {
  backplane: Backplane;
  cacheName: string;
  nodeId: string;
  breaker: CircuitBreaker;
  timers: Timers;
  events: CacheEvents;
  counters: HybridCacheCounters;
  logger: HybridCacheLogger;
  ignoreIncoming: boolean;
  maxRetries: number;
  retryDelayMs: number;
  queueSize: number;
  publishTimeoutMs: number;
  /** Applies a received message to L1. */
  apply(m: BackplaneMessage): void;
  /** Messages may have been missed: drop what could be stale. */
  resync(reason: string): void;
}

interface Queued {
  type: BackplaneMessageType;
  key: string;
  timestamp: number;
  attempts: number;
}

/**
 * The cache's side of the backplane (§9): publishing with breaker, timeout and a bounded retry
 * queue de-duplicated per key (overflow or exhausted retries collapse it into one `Clear`), and
 * receiving with cache-name filtering, self-suppression, and loss detection (a gap in a sender's
 * `seq`, a reconnect or a dropped buffer makes the cache drop its L1).
 */
export class BackplaneLink {
  readonly #d: BackplaneLinkDeps;
  readonly #queue = new Map<string, Queued>();
  readonly #lastSeq = new Map<string, number>();
  #seq = 0;
  #timer: unknown;
  #flushing = false;
  #cancel: (() => void) | undefined;
  #closed = false;

  constructor(deps: BackplaneLinkDeps) {
    this.#d = deps;
  }

  /** Messages waiting for a retry. */
  get pending(): number {
    return this.#queue.size;
  }

  /** Subscribes; rejects when the backplane cannot subscribe (construction fails, §2). */
  async subscribe(): Promise<void> {
    this.#cancel = await this.#d.backplane.subscribe({
      onMessage: (m) => this.#receive(m),
      onReconnect: (reason) => this.#reconnected(reason),
    });
  }

  /**
   * Publishes unless skipped (§9). Background by default; a synchronous publish with
   * `reThrowBackplaneExceptions` rejects on failure. A failed or short-circuited message is queued.
   */
  publish(type: BackplaneMessageType, key: string, o: EntryOptions, timestamp: number): Promise<void> {
    if (o.skipBackplaneNotifications || this.#closed) return Promise.resolve();
    if (this.#queue.size > 0) {
      // Keep order behind what is already waiting.
      this.#enqueue(type, key, timestamp, 0);
      return Promise.resolve();
    }
    const sent = this.#send(type, key, timestamp).catch((err: unknown) => {
      this.#enqueue(type, key, timestamp, 1);
      if (!o.allowBackgroundBackplaneOperations && o.reThrowBackplaneExceptions) throw new BackplaneError('publish', err);
    });
    return o.allowBackgroundBackplaneOperations ? Promise.resolve() : sent;
  }

  /** Stops receiving, the retry timer and the backplane (idempotent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) this.#d.timers.clearTimeout(this.#timer);
    this.#cancel?.();
    await this.#d.backplane.close();
  }

  /** Tries the queue now (tests and reconnects). */
  async flush(): Promise<void> {
    if (this.#flushing || this.#closed) return;
    this.#flushing = true;
    try {
      for (const [id, q] of [...this.#queue]) {
        if (this.#queue.get(id) !== q) continue;
        try {
          await this.#send(q.type, q.key, q.timestamp);
          if (this.#queue.get(id) === q) this.#queue.delete(id);
        } catch {
          q.attempts++;
          if (q.attempts > this.#d.maxRetries && q.type !== BackplaneMessageType.Clear) this.#collapse();
          break;
        }
      }
    } finally {
      this.#flushing = false;
      this.#arm();
    }
  }

  async #send(type: BackplaneMessageType, key: string, timestamp: number): Promise<void> {
    const d = this.#d;
    if (!d.breaker.allow()) throw new Error('backplane circuit breaker open');
    const m: BackplaneMessage = { type, cacheName: d.cacheName, key, sourceId: d.nodeId, timestamp, seq: ++this.#seq };
    try {
      const r = await raceTimeout(d.timers, d.backplane.publish(m), d.publishTimeoutMs);
      if (r === TIMED_OUT) throw new OperationTimeoutError('backplane publish', d.publishTimeoutMs);
    } catch (err) {
      d.breaker.failure();
      d.counters.backplaneErrors++;
      d.logger.warn({ op: 'publish', key, err: err instanceof Error ? err.message : String(err) }, 'backplane publish failed');
      throw err;
    }
    d.breaker.success();
    d.counters.backplaneSent++;
    if (d.events.active) d.events.emit({ type: 'BackplaneSent', key, messageType: type });
  }

  #enqueue(type: BackplaneMessageType, key: string, timestamp: number, attempts: number): void {
    if (this.#closed) return;
    // Set, Delete and Expire of one key all make receivers drop that key: one entry per key.
    const id = type === BackplaneMessageType.Clear ? 'clear' : type >= BackplaneMessageType.DeleteByTag ? `tag:${type}:${key}` : `key:${key}`;
    const existing = this.#queue.get(id);
    if (existing !== undefined) {
      this.#queue.delete(id);
      const dropsMore = existing.type === BackplaneMessageType.Delete && type === BackplaneMessageType.Expire;
      this.#queue.set(id, { type: dropsMore ? existing.type : type, key, timestamp: Math.max(timestamp, existing.timestamp), attempts });
    } else if (this.#queue.size >= this.#d.queueSize) {
      this.#collapse();
    } else {
      this.#queue.set(id, { type, key, timestamp, attempts });
    }
    this.#arm();
  }

  /** Replaces the whole queue by one `Clear`: receivers drop their L1, nothing stale survives. */
  #collapse(): void {
    this.#queue.clear();
    this.#queue.set('clear', { type: BackplaneMessageType.Clear, key: '', timestamp: this.#d.timers.now(), attempts: 0 });
  }

  #arm(): void {
    if (this.#timer !== undefined || this.#queue.size === 0 || this.#closed) return;
    this.#timer = this.#d.timers.setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#d.retryDelayMs);
  }

  #receive(m: BackplaneMessage): void {
    const d = this.#d;
    if (this.#closed || m.cacheName !== d.cacheName || m.sourceId === d.nodeId || d.ignoreIncoming) return;
    const last = this.#lastSeq.get(m.sourceId);
    this.#lastSeq.set(m.sourceId, m.seq);
    d.counters.backplaneReceived++;
    if (d.events.active) d.events.emit({ type: 'BackplaneReceived', key: m.key, messageType: m.type });
    d.apply(m);
    // A gap means a message of that sender was lost (its publish failed or a buffer dropped it).
    if (last !== undefined && m.seq > last + 1) d.resync(`gap in messages from ${m.sourceId}`);
  }

  #reconnected(reason: string): void {
    if (this.#closed) return;
    this.#d.resync(reason);
    void this.flush();
  }
}
