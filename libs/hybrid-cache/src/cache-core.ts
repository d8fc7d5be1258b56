import { BackplaneLink } from './backplane/backplane-link';
import { BackplaneMessageType } from './backplane/backplane';
import type { ResolvedHybridCacheOptions } from './cache-options';
import { CircuitBreaker } from './circuit-breaker';
import type { CacheEntry } from './entry';
import { mergeEntryOptions, validateEntryOptions, type EntryOptions, type EntryOptionsInput } from './entry-options';
import { CacheClosedError, FactoryFailedError, FactoryHardTimeoutError, SerializationError } from './errors';
import { CacheEvents } from './events';
import { FactoryContext, type Factory } from './factory-context';
import { runFactory } from './factory-runner';
import { L1Store } from './l1/l1-store';
import { L2Link, type L2Read } from './l2/l2-link';
import { readEntry, readL2Many } from './cache-reads';
import { joinFlight, withLockTimeout, type FlightCancel } from './caller-wait';
import { applyMessage, maybeEagerRefresh } from './cache-background';
import { countersFor, publishHit, publishMiss, publishStale, traceFactory, type HybridCacheCounters } from './telemetry';

/** Hard limit of one backplane publish. */
const PUBLISH_TIMEOUT_MS = 5_000;

/**
 * The state and flows shared by a cache and its namespaces (hybrid-cache.md §4–§9). Keys here are
 * "full" keys (namespace included, cache prefix not); `k` is the prefixed key used in L1 and L2.
 */
export class CacheCore {
  readonly o: ResolvedHybridCacheOptions;
  readonly defaults: Readonly<EntryOptions>;
  readonly name: string;
  readonly events = new CacheEvents();
  readonly counters: HybridCacheCounters;
  readonly l1: L1Store;
  readonly l2: L2Link | undefined;
  readonly backplane: BackplaneLink | undefined;
  readonly l2Breaker: CircuitBreaker;
  readonly backplaneBreaker: CircuitBreaker;
  readonly ready: Promise<void>;
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #cancels = new WeakMap<Promise<unknown>, FlightCancel>();
  readonly #now: () => number;
  readonly #prefix: string;
  #closed: Promise<void> | undefined;

  /** Whether `close()` was called. */
  get isClosed(): boolean {
    return this.#closed !== undefined;
  }

  constructor(o: ResolvedHybridCacheOptions) {
    this.o = o;
    this.defaults = o.defaultEntryOptions;
    this.name = o.cacheName;
    this.#prefix = o.keyPrefix;
    this.#now = o.timers.now;
    this.counters = countersFor(o.cacheName);
    this.l1 = new L1Store(o.l1, o.serializer);
    this.l2Breaker = new CircuitBreaker({
      ...breakerSettings(o.l2CircuitBreaker),
      timers: o.timers,
      onStateChange: (state) => this.events.emit({ type: 'L2CircuitBreakerStateChange', open: state === 'open', state }),
    });
    this.backplaneBreaker = new CircuitBreaker({
      ...breakerSettings(o.backplaneCircuitBreaker),
      timers: o.timers,
      onStateChange: (state, previous) => {
        this.events.emit({ type: 'BackplaneCircuitBreakerStateChange', open: state === 'open', state });
        // Messages may have been lost while it was open (§8 backplaneAutoRecovery).
        if (state === 'closed' && previous === 'half-open') queueMicrotask(() => this.resync('backplane breaker closed'));
      },
    });
    if (o.l2 !== undefined && o.serializer !== undefined) {
      this.l2 = new L2Link({
        adapter: o.l2,
        serializer: o.serializer,
        breaker: this.l2Breaker,
        timers: o.timers,
        events: this.events,
        counters: this.counters,
        logger: o.logger,
        l1: this.l1,
        keyPrefix: o.keyPrefix,
        skipL2OnError: o.skipL2OnError,
        random: Math.random,
      });
    }
    if (o.backplane !== undefined) {
      this.backplane = new BackplaneLink({
        backplane: o.backplane,
        cacheName: o.cacheName,
        nodeId: o.nodeId,
        breaker: this.backplaneBreaker,
        timers: o.timers,
        events: this.events,
        counters: this.counters,
        logger: o.logger,
        ignoreIncoming: o.ignoreIncomingBackplaneNotifications,
        maxRetries: o.autoRecoveryMaxRetries,
        retryDelayMs: o.autoRecoveryDelay,
        queueSize: o.publishQueueSize,
        publishTimeoutMs: PUBLISH_TIMEOUT_MS,
        apply: (m) => applyMessage(this, m),
        resync: (reason) => this.resync(reason),
      });
      this.ready = this.backplane.subscribe();
    } else {
      this.ready = Promise.resolve();
    }
  }

  /** Per-call options merged over the defaults (§3). */
  resolve(input: EntryOptionsInput | undefined): EntryOptions {
    return input === undefined ? (this.defaults as EntryOptions) : mergeEntryOptions(this.defaults, input);
  }

  /** The prefixed key. */
  key(full: string): string {
    return this.#prefix === '' ? full : this.#prefix + full;
  }

  /** Rejects when closed. */
  check(): void {
    if (this.#closed !== undefined) throw new CacheClosedError(this.name);
  }

  /**
   * §4: the primary method; the fresh-L1 path is synchronous up to the returned promise. An aborted
   * `signal` rejects this call with `signal.reason` (before anything else when already aborted).
   */
  getOrSet<T>(full: string, factory: Factory<T>, o: EntryOptions, nsTags: readonly string[] | undefined, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    const k = this.#prefix === '' ? full : this.#prefix + full;
    let stale: CacheEntry | undefined;
    if (!o.skipL1Read) {
      const now = this.#now();
      const e = this.l1.lookup(k, now);
      if (e !== undefined) {
        if (now < e.logicalExpiry) {
          this.#hit(full);
          if (o.eagerRefreshThreshold > 0 && o.eagerRefreshThreshold < 1 && !e.refreshing) maybeEagerRefresh(this, k, full, e, factory, o, nsTags, now);
          return Promise.resolve((o.enableAutoClone ? this.l1.clone(e.value) : e.value) as T);
        }
        stale = e;
      }
    }
    return this.#getOrSetSlow(k, full, factory, o, nsTags, stale, signal);
  }

  async #getOrSetSlow<T>(k: string, full: string, factory: Factory<T>, o: EntryOptions, nsTags: readonly string[] | undefined, stale: CacheEntry | undefined, signal: AbortSignal | undefined): Promise<T> {
    this.check();
    this.counters.misses++;
    if (this.events.active) this.events.emit({ type: 'CacheMiss', key: full });
    publishMiss(this.name, full);
    let flight = this.#inflight.get(k) as Promise<T> | undefined;
    let wait: Promise<T>;
    if (flight === undefined) {
      const cancel: FlightCancel = { controller: new AbortController(), pinned: false, waiters: 0 };
      flight = this.#flight(k, full, factory, o, nsTags, stale, cancel.controller.signal);
      this.track(k, flight);
      this.#cancels.set(flight, cancel);
      wait = flight;
    } else {
      wait = o.lockTimeout > 0 ? withLockTimeout(this.o.timers, flight, full, o.lockTimeout) : flight;
    }
    // A caller's abort cancels the flight only when nobody else waits; the key is then released.
    const value = await joinFlight(this.#cancels.get(flight), wait, signal, () => {
      if (this.#inflight.get(k) === flight) this.#inflight.delete(k);
    });
    return o.enableAutoClone ? this.l1.clone(value) : value;
  }


  /** The running flight (factory or eager refresh) of prefixed key `k`. */
  inflightOf(k: string): Promise<unknown> | undefined {
    return this.#inflight.get(k);
  }

  /** Registers `flight` as the single flight of `k` until it settles. */
  track(k: string, flight: Promise<unknown>): void {
    this.#inflight.set(k, flight);
    const done = (): void => {
      if (this.#inflight.get(k) === flight) this.#inflight.delete(k);
    };
    flight.then(done, done);
  }

  /** Inside the single flight: L2, then the factory (§4 b–e). */
  async #flight<T>(k: string, full: string, factory: Factory<T>, o: EntryOptions, nsTags: readonly string[] | undefined, stale: CacheEntry | undefined, cancelled: AbortSignal): Promise<T> {
    if (this.l2 !== undefined && !o.skipL2Read && !(o.skipL2ReadWhenStale && stale !== undefined)) {
      const generation = this.l1.generation;
      const r = await this.l2.read(k, full, o, stale !== undefined);
      if (r.entry !== undefined) {
        if (r.fresh) {
          if (!o.skipL1Write && generation === this.l1.generation) this.l1.put(k, r.entry, o.size, o.priority, r.entry.size);
          return r.entry.value as T;
        }
        stale ??= r.entry;
      }
    }
    // Every caller gave up while L2 was read: no factory call.
    cancelled.throwIfAborted();
    return this.#callFactory(k, full, factory, o, nsTags, stale, cancelled);
  }

  async #callFactory<T>(k: string, full: string, factory: Factory<T>, o: EntryOptions, nsTags: readonly string[] | undefined, stale: CacheEntry | undefined, cancelled: AbortSignal): Promise<T> {
    this.counters.factoryCalls++;
    if (this.events.active) this.events.emit({ type: 'FactoryCall', key: full });
    const controller = new AbortController();
    const ctx = new FactoryContext<T>(full, { ...o, tags: [...o.tags] }, stale !== undefined, stale?.value as T | undefined, controller.signal);
    const softAllowed = o.isFailSafeEnabled && stale !== undefined;
    const onCancel = (): void => controller.abort(cancelled.reason);
    cancelled.addEventListener('abort', onCancel, { once: true });
    const run = await runFactory<T>(
      this.o.timers,
      o,
      softAllowed,
      controller,
      () => traceFactory(this.name, full, async () => factory(ctx)),
      (late) => void this.storeFromFactory(k, full, late, ctx, nsTags).catch((err: unknown) => this.logBackground('late factory result', full, err)),
    ).finally(() => cancelled.removeEventListener('abort', onCancel));
    // Every caller gave up (§6 caller cancelled): nobody gets the result, so nothing is stored or served.
    if (cancelled.aborted) throw cancelled.reason;
    switch (run.kind) {
      case 'ok':
        await this.storeFromFactory(k, full, run.value, ctx, nsTags);
        if (this.events.active) this.events.emit({ type: 'FactorySuccess', key: full, shared: false });
        return run.value;
      case 'soft':
        this.counters.softTimeouts++;
        if (this.events.active) this.events.emit({ type: 'SoftTimeoutActivated', key: full });
        return this.#serveStale(k, full, stale!, o, 'soft timeout') as T;
      case 'hard':
        this.counters.hardTimeouts++;
        if (this.events.active) this.events.emit({ type: 'HardTimeoutActivated', key: full });
        if (stale !== undefined && o.isFailSafeEnabled) return this.#serveStale(k, full, stale, o, 'hard timeout') as T;
        this.#factoryFailed(full, new FactoryHardTimeoutError(full, o.factoryHardTimeout));
        throw new FactoryHardTimeoutError(full, o.factoryHardTimeout);
      case 'error':
      default: {
        const err = run.kind === 'error' ? run.err : undefined;
        if (stale !== undefined && (o.isFailSafeEnabled || err instanceof FactoryFailedError)) {
          // TS MUST (§6): FailSafeActivated and FactoryError; only the throttled L1 entry, no L2, no publish.
          this.counters.failSafeActivations++;
          if (this.events.active) this.events.emit({ type: 'FailSafeActivated', key: full, staleValue: stale.value });
          this.#factoryFailed(full, err);
          this.o.logger.warn({ key: full, err: err instanceof Error ? err.message : String(err) }, 'fail-safe activated');
          return this.#serveStale(k, full, stale, o, 'fail-safe') as T;
        }
        this.#factoryFailed(full, err);
        throw err;
      }
    }
  }

  #factoryFailed(full: string, err: unknown): void {
    this.counters.factoryErrors++;
    if (this.events.active) this.events.emit({ type: 'FactoryError', key: full, err });
  }

  /** Keeps the stale value in L1 as fresh for `failSafeThrottleDuration` only (§6), writes nothing else. */
  #serveStale(k: string, full: string, stale: CacheEntry, o: EntryOptions, reason: string): unknown {
    publishStale(this.name, full, reason);
    if (!o.skipL1Write) this.l1.throttle(k, stale, this.#now() + o.failSafeThrottleDuration, o.size, o.priority);
    return stale.value;
  }

  /** Stores a factory result with its (possibly adapted) options, unless the factory skipped caching. */
  storeFromFactory<T>(k: string, full: string, value: T, ctx: FactoryContext<T>, nsTags: readonly string[] | undefined): Promise<void> {
    if (ctx.isSkipped) return Promise.resolve();
    validateEntryOptions(ctx.options);
    return this.store(k, full, value, ctx.options, nsTags);
  }

  /** Writes L1 + L2 + publishes `Set` (§1 `set`); the publish follows the L2 write so receivers read the new value. */
  async store(k: string, full: string, value: unknown, o: EntryOptions, nsTags: readonly string[] | undefined): Promise<void> {
    const now = this.#now();
    const tags = nsTags === undefined ? (o.tags.length === 0 ? undefined : o.tags) : o.tags.length === 0 ? nsTags : [...nsTags, ...o.tags];
    const createdAt = tags === undefined ? now : this.l1.tick(now);
    const logicalExpiry = createdAt + o.duration;
    const physicalExpiry = o.isFailSafeEnabled && o.failSafeMaxDuration > o.duration ? createdAt + o.failSafeMaxDuration : logicalExpiry;
    const e: CacheEntry = { value, createdAt, logicalExpiry, physicalExpiry, tags, size: 0, refreshing: false };
    const l2 = this.l2 !== undefined && !o.skipL2Write ? this.l2 : undefined;
    let bytes: Uint8Array | undefined;
    if (l2 !== undefined) {
      try {
        bytes = this.o.serializer!.serialize(value);
      } catch (err) {
        const wrapped = new SerializationError(full, 'serialize', err);
        if (o.reThrowSerializationExceptions) throw wrapped;
        this.o.logger.warn({ key: full, err: wrapped.message }, 'serialization failed, l2 skipped');
      }
    }
    if (!o.skipL1Write) this.l1.put(k, e, o.size, o.priority, bytes?.byteLength);
    const written = bytes === undefined ? undefined : l2!.write(k, full, e, bytes, o);
    await this.#thenPublish(written, BackplaneMessageType.Set, full, o, now);
  }

  /** Publishes after the L2 operation (awaited, or chained when L2 ops run in the background). */
  async #thenPublish(l2Op: Promise<void> | undefined, type: BackplaneMessageType, key: string, o: EntryOptions, at: number): Promise<void> {
    const bp = this.backplane;
    if (l2Op !== undefined && o.allowBackgroundDistributedCacheOperations) {
      void l2Op.then(
        () => bp?.publish(type, key, o, at),
        () => bp?.publish(type, key, o, at),
      );
      return;
    }
    if (l2Op !== undefined) await l2Op;
    if (bp !== undefined) await bp.publish(type, key, o, at);
  }

  /** §7 delete. */
  async delete(full: string, o: EntryOptions): Promise<void> {
    const k = this.key(full);
    this.l1.delete(k);
    const op = this.l2 !== undefined && !o.skipL2Write ? this.l2.remove(k, full, o) : undefined;
    await this.#thenPublish(op, BackplaneMessageType.Delete, full, o, this.#now());
  }

  /** §7 expire: L1 logical expiry now; L2 envelope rewritten (fail-safe) or deleted; publish `Expire`. */
  async expire(full: string, o: EntryOptions): Promise<void> {
    const k = this.key(full);
    const now = this.#now();
    this.l1.expire(k, now);
    const op = this.l2 !== undefined && !o.skipL2Write ? this.l2.expire(k, full, now, o) : undefined;
    await this.#thenPublish(op, BackplaneMessageType.Expire, full, o, now);
  }

  /** §7 tags, reaching every instance: a local instant, the L2 instant (+ adapter delete), one message. */
  async invalidateTag(tag: string, kind: 'delete' | 'expire', o: EntryOptions): Promise<void> {
    const now = this.l1.tick(this.#now());
    this.l1.stampTag(tag, kind, now);
    let op: Promise<void> | undefined;
    if (this.l2 !== undefined && !o.skipL2Write) op = kind === 'delete' ? this.l2.removeByTag(tag, now, o) : this.l2.stampTag(tag, 'expire', now, o);
    await this.#thenPublish(op, kind === 'delete' ? BackplaneMessageType.DeleteByTag : BackplaneMessageType.ExpireByTag, tag, o, now);
  }

  /** §7 clear: L1 (and L2 under the prefix when asked); `Clear` is always published. */
  async clear(clearL2: boolean, o: EntryOptions): Promise<void> {
    this.l1.clear();
    const op = clearL2 && this.l2 !== undefined && !o.skipL2Write ? this.l2.clear(o) : undefined;
    await this.#thenPublish(op, BackplaneMessageType.Clear, '', o, this.#now());
  }

  /** §4 b for reads: L1, then L2 (promoted into L1); `undefined` = nothing usable. */
  read(full: string, o: EntryOptions): Promise<{ entry: CacheEntry; stale: boolean } | undefined> {
    return readEntry(this, full, o);
  }

  /** Batch L2 lookup for the keys that missed L1 (getMany / getOrSetMany). */
  readL2Many(fulls: readonly string[], o: EntryOptions): Promise<L2Read[]> {
    return readL2Many(this, fulls, o);
  }

  /** The cache clock (epoch ms). */
  now(): number {
    return this.#now();
  }

  /** Counts and reports a fresh hit. */
  hit(full: string): void {
    this.#hit(full);
  }

  #hit(full: string): void {
    this.counters.hits++;
    if (this.events.active) this.events.emit({ type: 'CacheHit', key: full, isStale: false });
    publishHit(this.name, full);
  }

  /** Logs a failed background operation. */
  logBackground(op: string, full: string, err: unknown): void {
    this.o.logger.warn({ op, key: full, err: err instanceof Error ? err.message : String(err) }, 'background operation failed');
  }

  /** Messages may have been missed: drop all of L1 (`backplaneAutoRecovery`, §8–§9). */
  resync(reason: string): void {
    if (!this.o.backplaneAutoRecovery || this.#closed !== undefined) return;
    this.counters.l1Resyncs++;
    this.o.logger.warn({ reason }, 'l1 dropped: backplane messages may have been missed');
    this.l1.clear();
    if (this.events.active) this.events.emit({ type: 'BackplaneReconnected', reason });
  }

  /** §1 close: backplane subscription and adapter, then L1 (L2 is not closed). Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.backplane?.close();
      await this.l1.close();
    })();
    return this.#closed;
  }
}

function breakerSettings(b: { threshold: number; openDurationMs: number }): { threshold: number; openDurationMs: number } {
  return { threshold: b.threshold, openDurationMs: b.openDurationMs };
}
