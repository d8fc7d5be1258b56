import { BackgroundLoop, type Timers } from '@hypercache/loops';
import type { EngineLogger } from './engine-logger';
import { JobQueue } from './job-queue';
import type { StatsCollector } from './stats/stats-collector';

/** Wiring of {@link CacheMaintenance}; built by the engine from its resolved options. */
export interface CacheMaintenanceOptions {
  now: () => number;
  stats: StatsCollector;
  logger: EngineLogger;
  /** Sweep period in ms; 0 = triggers only. */
  expirationIntervalMs: number;
  /** Eviction loop period in ms; 0 = no loop. */
  evictionIntervalMs: number;
  /** Debounce of expiration triggers in ms; 0 = off. */
  expirationTriggerDebounceMs: number;
  /** The engine internals a sweep or pass works on (`HyperCache`'s, or `AsyncHyperCache`'s over I/O). */
  host: MaintenanceHost | AsyncMaintenanceHost;
  /** Timers of the two loops (undefined = Node's, unref()'d). */
  timers?: Timers;
}

/** What {@link CacheMaintenance} needs from the engine. */
export interface MaintenanceHost {
  count(): number;
  capacity(): number;
  maxEvictionCount(): number;
  algorithmName(): string;
  /** Evicts one algorithm-chosen victim; `false` when none. */
  evictOne(): boolean;
  /** Removes every item expired at `nowMs`; returns how many. */
  removeExpired(nowMs: number): number;
}

/**
 * What {@link CacheMaintenance} needs from `AsyncHyperCache`: whole passes that do I/O (one count
 * per pass, victims removed in one call), each answering a promise; the job queue holds it.
 */
export interface AsyncMaintenanceHost {
  readonly async: true;
  maxEvictionCount(): number;
  algorithmName(): string;
  /** Evicts up to `max` algorithm-chosen victims while the count is over capacity. */
  evictUpTo(max: number): Promise<PassResult>;
  /** Removes every item expired at `nowMs`. */
  removeExpired(nowMs: number): Promise<PassResult>;
}

/** Outcome of one {@link AsyncMaintenanceHost} pass: items removed, and the count after it. */
export interface PassResult {
  removed: number;
  remaining: number;
}

/**
 * Background side of the engine: the expiration and eviction loops and the trigger paths
 * (engine.md §3, §5). Sweeps and passes run as jobs on a {@link JobQueue}, so triggers never block.
 * Eviction trigger: a 1-slot signal, extra calls while one is pending are dropped. Expiration
 * trigger: debounced, then coalesced while one is pending (each drop counts stat `incr`).
 * Upstream's bounded trigger queue is not needed: with coalescing it never holds more than one.
 */
export class CacheMaintenance {
  readonly #o: CacheMaintenanceOptions;
  readonly #queue: JobQueue;
  readonly #expirationLoop: BackgroundLoop | undefined;
  readonly #evictionLoop: BackgroundLoop | undefined;
  #evictionPending = false;
  #expirationPending = false;
  #lastAcceptedTriggerMs = Number.NEGATIVE_INFINITY;
  #stopping: Promise<void> | undefined;

  constructor(o: CacheMaintenanceOptions) {
    this.#o = o;
    this.#queue = new JobQueue(o.logger);
    // Each tick only queues the job (synchronously), so a slow sweep never delays the next tick.
    this.#expirationLoop = o.expirationIntervalMs > 0 ? this.#loop('expiration', o.expirationIntervalMs, () => this.#queue.enqueue(this.sweep)) : undefined;
    this.#evictionLoop = o.evictionIntervalMs > 0 ? this.#loop('eviction', o.evictionIntervalMs, () => this.#queue.enqueue(this.evictionPass)) : undefined;
  }

  #loop(name: string, delayMs: number, enqueue: () => unknown): BackgroundLoop {
    return new BackgroundLoop({ name, delayMs, timers: this.#o.timers, tick: () => void enqueue() });
  }

  /** Whether the loops run (false before `start` and after `stop`). */
  get isRunning(): boolean {
    return (this.#expirationLoop?.isRunning ?? false) || (this.#evictionLoop?.isRunning ?? false);
  }

  /** Starts the configured loops; idempotent; no-op after `stop`. */
  start(): void {
    if (this.#stopping !== undefined) return;
    if (this.#expirationLoop !== undefined && !this.#expirationLoop.isRunning) {
      this.#expirationLoop.start();
      this.#o.logger.info({ interval_ms: this.#o.expirationIntervalMs }, 'expiration loop starting');
    }
    if (this.#evictionLoop !== undefined && !this.#evictionLoop.isRunning) {
      this.#evictionLoop.start();
      const o = this.#o;
      o.logger.info({ interval_ms: o.evictionIntervalMs, algorithm: o.host.algorithmName(), max_per_tick: o.host.maxEvictionCount() }, 'eviction loop starting');
    }
  }

  /** Stops the loops and waits for queued jobs; later triggers are dropped. Idempotent. */
  stop(): Promise<void> {
    if (this.#stopping === undefined) {
      if (this.#expirationLoop?.isRunning) this.#o.logger.info({}, 'expiration loop stopped');
      if (this.#evictionLoop?.isRunning) this.#o.logger.info({}, 'eviction loop stopped');
      this.#expirationLoop?.stop();
      this.#evictionLoop?.stop();
      this.#stopping = this.#queue.close();
    }
    return this.#stopping;
  }

  /** Resolves when no background job is queued or running. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Non-blocking eviction pass request (engine.md §5); coalesced while one is pending. */
  triggerEviction(): void {
    if (this.#evictionPending) {
      this.#o.logger.debug({ source: 'manual' }, 'eviction trigger coalesced');
      return;
    }
    this.#evictionPending = true;
    const queued = this.#queue.enqueue(() => {
      this.#evictionPending = false;
      return this.evictionPass();
    });
    if (!queued) this.#evictionPending = false;
    else this.#o.logger.debug({ source: 'manual' }, 'eviction triggered');
  }

  /** Debounced, coalesced expiration sweep request (engine.md §3 trigger path). */
  triggerExpiration(): void {
    const debounceMs = this.#o.expirationTriggerDebounceMs;
    if (debounceMs > 0) {
      const now = this.#o.now();
      if (now - this.#lastAcceptedTriggerMs < debounceMs) return this.#dropTrigger('debounced');
      if (this.#expirationPending) return this.#dropTrigger('coalesced');
      this.#lastAcceptedTriggerMs = now;
    } else if (this.#expirationPending) {
      return this.#dropTrigger('coalesced');
    }
    this.#expirationPending = true;
    const queued = this.#queue.enqueue(() => {
      let swept: void | Promise<void> = undefined;
      try {
        swept = this.sweep();
      } finally {
        if (swept === undefined) this.#expirationPending = false;
      }
      return swept?.finally(() => {
        this.#expirationPending = false;
      });
    });
    if (!queued) this.#expirationPending = false;
  }

  /**
   * One eviction pass (engine.md §5): evict while count > capacity and evicted < maxEvictionCount.
   * Synchronous over `HyperCache`'s host; a promise over an {@link AsyncMaintenanceHost}.
   */
  readonly evictionPass = (): void | Promise<void> => {
    const host = this.#o.host;
    const started = process.hrtime.bigint();
    if ('async' in host) return host.evictUpTo(host.maxEvictionCount()).then((r) => this.#evicted(started, r.removed, r.remaining));
    const max = host.maxEvictionCount();
    let evicted = 0;
    while (host.count() > host.capacity() && evicted < max && host.evictOne()) evicted++;
    this.#evicted(started, evicted, host.count());
  };

  /** Records one eviction pass that evicted `evicted` items and left `remaining`. */
  #evicted(started: bigint, evicted: number, remaining: number): void {
    const { host, stats } = this.#o;
    for (let i = 0; i < evicted; i++) stats.incr('item_evicted_count', 1);
    stats.incr('eviction_loop_count', 1);
    // TS records elapsed ns (upstream records the start timestamp; engine.md §7).
    stats.timing('eviction_loop_duration', Number(process.hrtime.bigint() - started));
    stats.gauge('item_count', remaining);
    stats.gauge('evicted_item_count', evicted);
    const fields = { evicted, items_remaining: remaining, algorithm: host.algorithmName() };
    if (evicted > 0) this.#o.logger.info(fields, 'eviction tick');
    else this.#o.logger.debug(fields, 'eviction tick');
  }

  /** One expiration sweep (engine.md §3): remove expired items, record stats, log. A promise over an {@link AsyncMaintenanceHost}. */
  readonly sweep = (): void | Promise<void> => {
    const host = this.#o.host;
    const started = process.hrtime.bigint();
    if ('async' in host) return host.removeExpired(this.#o.now()).then((r) => this.#swept(started, r.removed, r.remaining));
    const expired = host.removeExpired(this.#o.now());
    this.#swept(started, expired, host.count());
  };

  /** Records one sweep that removed `expired` items and left `remaining`. */
  #swept(started: bigint, expired: number, remaining: number): void {
    const stats = this.#o.stats;
    for (let i = 0; i < expired; i++) stats.incr('item_expired_count', 1);
    const elapsedNs = Number(process.hrtime.bigint() - started);
    stats.incr('expiration_loop_count', 1);
    stats.timing('expiration_loop_duration', elapsedNs);
    stats.gauge('item_count', remaining);
    stats.gauge('expired_item_count', expired);
    const fields = { expired, items_remaining: remaining, elapsed_ns: elapsedNs };
    if (expired > 0) this.#o.logger.info(fields, 'expiration tick');
    else this.#o.logger.debug(fields, 'expiration tick');
  }

  #dropTrigger(reason: string): void {
    this.#o.stats.incr('incr', 1);
    this.#o.logger.debug({ reason }, 'expiration trigger dropped');
  }
}
