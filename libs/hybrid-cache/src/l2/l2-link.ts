import type { CircuitBreaker } from '../circuit-breaker';
import { decodeEnvelope, encodeEnvelope, type CacheEntry, type DecodedEnvelope } from '../entry';
import type { EntryOptions } from '../entry-options';
import { DistributedCacheError, OperationTimeoutError, SerializationError } from '../errors';
import type { CacheEvents } from '../events';
import type { L1Store } from '../l1/l1-store';
import type { HybridCacheLogger } from '../logger';
import type { Serializer } from '../serializers';
import type { HybridCacheCounters } from '../telemetry';
import { TIMED_OUT, type Timers } from '../timers';
import type { L2Adapter } from './l2-adapter';

/** What the L2 link needs from its cache. */
export interface L2LinkDeps {
  adapter: L2Adapter;
  serializer: Serializer;
  breaker: CircuitBreaker;
  timers: Timers;
  events: CacheEvents;
  counters: HybridCacheCounters;
  logger: HybridCacheLogger;
  l1: L1Store;
  keyPrefix: string;
  skipL2OnError: boolean;
  random: () => number;
}

/** An L2 read outcome: the entry (fresh or stale) or nothing. */
export interface L2Read {
  entry: CacheEntry | undefined;
  fresh: boolean;
}

const MISS: L2Read = Object.freeze({ entry: undefined, fresh: false });
/** Marker error: the breaker short-circuited the call (not a new failure). */
const BREAKER_OPEN = new Error('L2 circuit breaker open');

/**
 * Every L2 operation of the cache (§4 b, §6, §7, §8, §11): breaker, soft/hard timeouts (an L2 that
 * hangs never holds the caller beyond them), the envelope, tag invalidation instants stored in L2
 * (`<prefix>__hc:td:<tag>` / `__hc:te:<tag>`, compared on read; no scans), events and counters.
 */
export class L2Link {
  readonly #d: L2LinkDeps;

  constructor(deps: L2LinkDeps) {
    this.#d = deps;
  }

  /** Reads `key`; fresh → `L2Hit`, stale → usable fallback + `L2Miss`, error → `L2Error` (a miss unless re-thrown). */
  async read(key: string, full: string, o: EntryOptions, hasStale: boolean): Promise<L2Read> {
    const d = this.#d;
    let raw: Uint8Array | null | typeof TIMED_OUT;
    try {
      raw = await this.#op('get', full, o, (s) => d.adapter.get(key, s), hasStale ? o.distributedCacheSoftTimeout : 0);
    } catch (err) {
      if (err !== BREAKER_OPEN && (!d.skipL2OnError || o.reThrowDistributedCacheExceptions)) throw new DistributedCacheError('get', full, err);
      return MISS;
    }
    if (raw === TIMED_OUT || raw === null) return this.#miss(full);
    return this.#decode(raw, full, o);
  }

  /** Batch read (one adapter round trip when it has `getMany`). */
  async readMany(keys: readonly string[], fulls: readonly string[], o: EntryOptions): Promise<L2Read[]> {
    const d = this.#d;
    let raws: Array<Uint8Array | null> | typeof TIMED_OUT;
    try {
      raws = await this.#op('getMany', fulls[0] ?? '', o, (s) => (d.adapter.getMany ? d.adapter.getMany(keys, s) : Promise.all(keys.map((k) => d.adapter.get(k, s)))));
    } catch (err) {
      if (err !== BREAKER_OPEN && (!d.skipL2OnError || o.reThrowDistributedCacheExceptions)) throw new DistributedCacheError('getMany', fulls[0] ?? '', err);
      return keys.map(() => MISS);
    }
    if (raws === TIMED_OUT) return keys.map(() => MISS);
    return Promise.all(raws.map((raw, i) => (raw === null ? this.#miss(fulls[i]!) : this.#decode(raw, fulls[i]!, o))));
  }

  /** Writes an entry whose value is already serialized; rejects only with `reThrowDistributedCacheExceptions` on a synchronous write. */
  async write(key: string, full: string, e: CacheEntry, bytes: Uint8Array, o: EntryOptions): Promise<void> {
    const d = this.#d;
    const ttl = this.#ttl(o, d.random);
    const env = encodeEnvelope(bytes, e.createdAt, e.logicalExpiry, Math.max(e.physicalExpiry, e.createdAt + ttl), e.tags);
    await this.#write('set', full, o, (s) => d.adapter.set(key, env, ttl, e.tags ?? [], s));
  }

  /** Deletes a key (§7). */
  remove(key: string, full: string, o: EntryOptions): Promise<void> {
    return this.#write('delete', full, o, (s) => this.#d.adapter.delete(key, s));
  }

  /** Removes the tag's keys through the adapter and records the delete instant in L2. */
  async removeByTag(tag: string, at: number, o: EntryOptions): Promise<void> {
    await this.#write('deleteByTag', tag, o, (s) => this.#d.adapter.deleteByTag(tag, s));
    await this.stampTag(tag, 'delete', at, o);
  }

  /** Records a tag invalidation instant in L2, where every instance compares it on read. */
  stampTag(tag: string, kind: 'delete' | 'expire', at: number, o: EntryOptions): Promise<void> {
    const key = this.#stampKey(tag, kind);
    return this.#write('stampTag', tag, o, (s) => this.#d.adapter.set(key, Buffer.from(String(at)), 0, [], s));
  }

  /** Removes every key under the cache's prefix. */
  clear(o: EntryOptions): Promise<void> {
    return this.#write('clear', '', o, (s) => this.#d.adapter.clear(this.#d.keyPrefix, s));
  }

  /**
   * Expires a key in L2 too (§7 TS SHOULD): with fail-safe the envelope's logical expiry becomes
   * `now` (value kept for fail-safe); without it the key is deleted.
   */
  async expire(key: string, full: string, now: number, o: EntryOptions): Promise<void> {
    if (!o.isFailSafeEnabled) return this.remove(key, full, o);
    const d = this.#d;
    const read = await this.read(key, full, { ...o, skipL2Read: false }, false).catch(() => MISS);
    if (read.entry === undefined) return;
    const e = read.entry;
    const ttl = Math.max(1, e.physicalExpiry - now);
    const raw = d.serializer.serialize(e.value);
    const env = encodeEnvelope(raw, e.createdAt, Math.min(now, e.logicalExpiry), e.physicalExpiry, e.tags);
    await this.#write('expire', full, o, (s) => d.adapter.set(key, env, ttl, e.tags ?? [], s));
  }

  /** L2 TTL (§3): duration, or the fail-safe max, or the L2 overrides, plus jitter in [0, max). */
  #ttl(o: EntryOptions, random: () => number): number {
    let ttl = o.duration;
    if (o.isFailSafeEnabled && o.failSafeMaxDuration > 0) ttl = o.failSafeMaxDuration;
    if (o.distributedCacheDuration > 0) {
      ttl = o.distributedCacheDuration;
      if (o.isFailSafeEnabled && o.distributedCacheFailSafeMaxDuration > 0) ttl = o.distributedCacheFailSafeMaxDuration;
    }
    if (o.jitterMaxDuration > 0) ttl += Math.floor(random() * o.jitterMaxDuration);
    return ttl;
  }

  #stampKey(tag: string, kind: 'delete' | 'expire'): string {
    return `${this.#d.keyPrefix}__hc:${kind === 'delete' ? 'td' : 'te'}:${tag}`;
  }

  #miss(full: string): L2Read {
    this.#d.counters.l2Misses++;
    if (this.#d.events.active) this.#d.events.emit({ type: 'L2Miss', key: full });
    return MISS;
  }

  /** Decodes a raw L2 value; synchronous unless the entry has tags (their L2 instants are loaded first). */
  #decode(raw: Uint8Array, full: string, o: EntryOptions): L2Read | Promise<L2Read> {
    let env: DecodedEnvelope;
    try {
      env = decodeEnvelope(raw);
    } catch (err) {
      return this.#undecodable(full, err, o);
    }
    if (this.#d.timers.now() >= env.physicalExpiry) return this.#miss(full);
    if (env.tags === undefined) return this.#finish(env, full, o);
    return this.#loadStamps(env.tags, o).then(
      () => this.#finish(env, full, o),
      (err: unknown) => this.#undecodable(full, err, o),
    );
  }

  #finish(env: DecodedEnvelope, full: string, o: EntryOptions): L2Read {
    const d = this.#d;
    const e: CacheEntry = { value: undefined, createdAt: env.createdAt, logicalExpiry: env.logicalExpiry, physicalExpiry: env.physicalExpiry, tags: env.tags, size: env.bytes.byteLength, refreshing: false };
    if (e.tags !== undefined && !d.l1.applyStampsTo(e)) return this.#miss(full);
    try {
      e.value = d.serializer.deserialize(env.bytes);
    } catch (err) {
      return this.#undecodable(full, err, o);
    }
    if (d.timers.now() < e.logicalExpiry) {
      d.counters.l2Hits++;
      if (d.events.active) d.events.emit({ type: 'L2Hit', key: full });
      return { entry: e, fresh: true };
    }
    this.#miss(full);
    return { entry: e, fresh: false };
  }

  /** Upstream: a deserialization error is an L2 error, not a miss (§3 reThrowSerializationExceptions). */
  #undecodable(full: string, err: unknown, o: EntryOptions): L2Read {
    this.#failed('decode', full, err);
    if (o.reThrowSerializationExceptions && o.reThrowDistributedCacheExceptions) throw new SerializationError(full, 'deserialize', err);
    return MISS;
  }

  /** Merges the L2 tag instants of `tags` into the local ones. */
  async #loadStamps(tags: readonly string[], o: EntryOptions): Promise<void> {
    const d = this.#d;
    const keys = tags.flatMap((t) => [this.#stampKey(t, 'delete'), this.#stampKey(t, 'expire')]);
    const raws = await this.#op('getTagStamps', tags[0]!, o, (s) => (d.adapter.getMany ? d.adapter.getMany(keys, s) : Promise.all(keys.map((k) => d.adapter.get(k, s)))));
    if (raws === TIMED_OUT) return;
    tags.forEach((t, i) => {
      const del = raws[2 * i];
      const exp = raws[2 * i + 1];
      if (del != null) d.l1.stampTag(t, 'delete', Number(Buffer.from(del).toString()));
      if (exp != null) d.l1.stampTag(t, 'expire', Number(Buffer.from(exp).toString()));
    });
  }

  async #write(op: string, full: string, o: EntryOptions, fn: (signal?: AbortSignal) => Promise<unknown>): Promise<void> {
    try {
      await this.#op(op, full, o, fn);
    } catch (err) {
      if (err !== BREAKER_OPEN && o.reThrowDistributedCacheExceptions && !o.allowBackgroundDistributedCacheOperations) {
        throw new DistributedCacheError(op, full, err);
      }
    }
  }

  /** One adapter call under the breaker and the L2 timeouts; failures are counted, reported and re-thrown. */
  async #op<T>(op: string, full: string, o: EntryOptions, fn: (signal?: AbortSignal) => Promise<T>, softMs = 0): Promise<T | typeof TIMED_OUT> {
    const d = this.#d;
    if (!d.breaker.allow()) throw BREAKER_OPEN;
    const hard = o.distributedCacheHardTimeout;
    const controller = hard > 0 ? new AbortController() : undefined;
    try {
      const p = fn(controller?.signal);
      const r = hard > 0 || softMs > 0 ? await this.#race(p, op, softMs, hard, controller) : await p;
      if (r !== TIMED_OUT) d.breaker.success();
      return r;
    } catch (err) {
      this.#failed(op, full, err);
      throw err;
    }
  }

  #race<T>(p: Promise<T>, op: string, softMs: number, hardMs: number, controller: AbortController | undefined): Promise<T | typeof TIMED_OUT> {
    const t = this.#d.timers;
    return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
      const soft = softMs > 0 && (hardMs === 0 || softMs < hardMs) ? t.setTimeout(() => resolve(TIMED_OUT), softMs) : undefined;
      const hard =
        hardMs > 0
          ? t.setTimeout(() => {
              controller?.abort();
              reject(new OperationTimeoutError(`L2 ${op}`, hardMs));
            }, hardMs)
          : undefined;
      const done = (): void => {
        if (soft !== undefined) t.clearTimeout(soft);
        if (hard !== undefined) t.clearTimeout(hard);
      };
      p.then(
        (v) => {
          done();
          resolve(v);
        },
        (e: unknown) => {
          done();
          reject(e);
        },
      );
    });
  }

  #failed(op: string, full: string, err: unknown): void {
    const d = this.#d;
    if (op !== 'decode') d.breaker.failure();
    d.counters.l2Errors++;
    d.logger.warn({ op, key: full, err: err instanceof Error ? err.message : String(err) }, 'l2 operation failed');
    if (d.events.active) d.events.emit({ type: 'L2Error', key: full, err });
  }
}
