import { performance } from 'node:perf_hooks';
import { ReplyError, type Cluster, type Redis } from 'ioredis';
import { applyListFilters, CacheError, type Backend, type CacheItem, type ListFilter } from '@hypercache/cache-engine';
import { checkCapacity } from './capacity';
import { BackendError, BackendUnavailableError } from './errors';
import { createRecordCodec, type RecordCodec } from './record-codec';
import { redisCommandChannel, redisConnectionChannel, type RedisConnectionEvent } from './redis-channels';
import type { ResolvedRedisCommonOptions } from './redis-options';

/** Keys fetched or deleted per command in `list` / `clear` (one slot per command on a cluster). */
export const KEY_BATCH = 500;
/** Keys asked per `SCAN` step. */
const SCAN_COUNT = 1_000;
/** Error replies that mean "not available right now" rather than "wrong command". */
const UNAVAILABLE_REPLY = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|MOVED|ASK|READONLY|NOREPLICAS)\b/;

/**
 * What the two Redis backends share: the record layout (one Redis string per item at
 * `keyPrefix + key`, the whole record encoded by the serializer, native `PX` TTL), the gate that
 * fails calls fast while not connected, error mapping, telemetry and `stop`. Subclasses say how
 * to walk this cache's keys (`SCAN … MATCH <prefix>*` on one server or on every master) and how to
 * group keys so no command spans two hash slots.
 */
export abstract class RedisStore<V> implements Backend<V> {
  abstract readonly name: 'redis' | 'redis-cluster';
  /** The engine's sizer for this backend's serializer (engine.md §4); `AsyncHyperCache` uses it unless given its own `sizeOf`. */
  readonly sizeOf: (value: V, key: string) => number;
  protected readonly prefix: string;
  protected readonly timeoutMs: number;
  readonly #codec: RecordCodec<V>;
  readonly #client: Redis | Cluster;
  #capacity: number;
  /** Calls waiting for `ready`, in call order; a waiter leaves on its timeout (nothing piles up during an outage). */
  readonly #waiters = new Set<() => void>();
  #stopping: Promise<void> | undefined;
  /** Whether `warmUp` has succeeded once (the first call after the first `ready` runs it). */
  #warm = false;
  #warming: Promise<void> | undefined;

  protected constructor(client: Redis | Cluster, o: ResolvedRedisCommonOptions) {
    this.#client = client;
    this.prefix = o.keyPrefix;
    this.timeoutMs = o.commandTimeoutMs;
    this.#capacity = o.capacity;
    this.#codec = createRecordCodec<V>(o.serializer);
    this.sizeOf = (value) => this.#codec.sizeOf(value);
    const events: RedisConnectionEvent[] = ['connect', 'ready', 'close', 'reconnecting', 'error'];
    for (const event of events) {
      client.on(event, () => {
        if (redisConnectionChannel.hasSubscribers) redisConnectionChannel.publish({ event });
      });
    }
    // A cluster reports per-node failures as `node error`; without a listener nothing is thrown.
    client.on('node error', () => {
      if (redisConnectionChannel.hasSubscribers) redisConnectionChannel.publish({ event: 'error' });
    });
    client.on('ready', () => {
      const waiters = [...this.#waiters];
      this.#waiters.clear();
      for (const w of waiters) w();
    });
  }

  /** Serializer of the records (`msgpack` or `json`). */
  get serializer(): string {
    return this.#codec.name;
  }

  /** Whether the client is connected and ready now. */
  isReady(): boolean {
    return this.#stopping === undefined && this.#client.status === 'ready';
  }

  /** Resolves when Redis answers `PING` (every master on a cluster) within `commandTimeoutMs`; else rejects `BackendUnavailableError`. */
  abstract ping(): Promise<void>;

  /** The stored record (`GET`), decoded into a fresh object, or `undefined`. */
  get(key: string): Promise<CacheItem<V> | undefined> {
    const k = this.prefix + key;
    // Hot path: connected, self-bounded client, nobody listening → one `then` on the ioredis promise.
    if (this.#direct()) return this.#client.getBuffer(k).then(this.#gotRecord, this.#failGet);
    return this.command('get', () => this.#client.getBuffer(k)).then(this.#gotRecord);
  }

  /** Stores the whole record (`SET`, with `PX` when it expires). */
  set(item: CacheItem<V>): Promise<void> {
    const k = this.prefix + item.key;
    const bytes = this.#codec.encode(item);
    const c = this.#client;
    // Native TTL (decisions B3): the record's remaining life at its write, on the writer's clock.
    const px = item.expiresAtMs === 0 ? 0 : Math.max(1, item.expiresAtMs - item.lastUpdatedMs);
    const run = () => (px === 0 ? c.set(k, bytes) : c.set(k, bytes, 'PX', px));
    if (this.#direct()) return run().then(noop, this.#failSet);
    return this.command('set', run).then(noop);
  }

  /** Whether a command may go straight to ioredis: ready, warmed up, bounded by ioredis itself, telemetry off. */
  #direct(): boolean {
    return this.selfBounded && this.#warm && this.#stopping === undefined && this.#client.status === 'ready' && !redisCommandChannel.hasSubscribers;
  }

  readonly #gotRecord = (bytes: Buffer | null): CacheItem<V> | undefined => (bytes === null ? undefined : this.#decode(bytes, 'get'));
  readonly #failGet = (err: unknown): never => this.#rethrow('get', err);
  readonly #failSet = (err: unknown): never => this.#rethrow('set', err);

  /** Deletes `keys` (`DEL` per batch, per hash slot on a cluster); how many existed. */
  async remove(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const groups = this.groupKeys(keys.map((k) => this.prefix + k));
    const counts = await Promise.all(groups.map((g) => this.command('del', () => this.#client.del(...g))));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Every record under the prefix (`SCAN` + `MGET`), then `filters` in order (engine.md §6). */
  async list(filters: readonly ListFilter<V>[]): Promise<CacheItem<V>[]> {
    const items: CacheItem<V>[] = [];
    await this.forEachKeyBatch(async (keys) => {
      for (const g of this.groupKeys(keys)) {
        const values = await this.command('mget', () => this.#client.mgetBuffer(...g));
        for (const bytes of values) if (bytes !== null) items.push(this.#decode(bytes, 'list'));
      }
    });
    return applyListFilters(items, filters);
  }

  /** Keys under the prefix (`SCAN`; other programs' keys are not counted). */
  async count(): Promise<number> {
    let n = 0;
    await this.forEachKeyBatch((keys) => {
      n += keys.length;
    });
    return n;
  }

  /** Deletes every key under the prefix (`SCAN` + `DEL`; never `FLUSHDB`). */
  async clear(): Promise<void> {
    await this.forEachKeyBatch(async (keys) => {
      await Promise.all(this.groupKeys(keys).map((g) => this.command('del', () => this.#client.del(...g))));
    });
  }

  /** The item cap, 0 = unlimited (reported, enforced by Redis `maxmemory`; decisions B8). */
  capacity(): number {
    return this.#capacity;
  }

  /** Changes the item cap; negative → `InvalidOptionError` (`BAD_REQUEST`). */
  setCapacity(capacity: number): void {
    this.#capacity = checkCapacity('capacity', capacity);
  }

  /** Closes the connection(s) (`QUIT`, then a hard disconnect if it does not answer in time). Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const c = this.#client;
      const quit = c.quit().then(
        () => undefined,
        () => undefined,
      );
      const timer = new Promise<void>((resolve) => setTimeout(resolve, this.timeoutMs).unref());
      await Promise.race([quit, timer]);
      c.disconnect();
    })();
    return this.#stopping;
  }

  /**
   * Calls `fn(keys)` with every key of this cache (full Redis keys, prefix included), a `SCAN`
   * page at a time; `fn` may be async (awaited before the next page).
   */
  protected abstract forEachKeyBatch(fn: (keys: string[]) => unknown): Promise<void>;

  /** Splits full keys into groups a single multi-key command may carry (one hash slot each on a cluster). */
  protected abstract groupKeys(keys: readonly string[]): string[][];

  /** Walks `SCAN 0 MATCH <prefix>* COUNT n` on one server (a node of a cluster), page by page. */
  protected async scanNode(node: Redis, fn: (keys: string[]) => unknown): Promise<void> {
    const match = `${escapeGlob(this.prefix)}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.command('scan', () => node.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT));
      cursor = next;
      if (keys.length > 0) await fn(keys);
    } while (cursor !== '0');
  }

  /**
   * Runs one Redis command: waits (at most `commandTimeoutMs`) for the client to be ready, maps
   * every failure to `BackendUnavailableError`/`BackendError`, publishes telemetry when
   * subscribed, and bounds the wait (`commandTimeoutMs` on top of ioredis' own timer).
   */
  protected command<T>(command: string, run: () => Promise<T>): Promise<T> {
    if (this.#stopping !== undefined) return Promise.reject(new BackendUnavailableError(this.name, command, new Error('backend stopped')));
    if (this.#client.status !== 'ready' || !this.#warm) return this.connected(command).then(() => this.command(command, run));
    const observed = redisCommandChannel.hasSubscribers;
    const t0 = observed ? performance.now() : 0;
    let p: Promise<T>;
    try {
      p = this.bound(command, run());
    } catch (err) {
      p = Promise.reject(err);
    }
    if (!observed) return p.catch((err: unknown) => this.#rethrow(command, err));
    return p.then(
      (v) => {
        redisCommandChannel.publish({ command, durationMs: performance.now() - t0, ok: true });
        return v;
      },
      (err: unknown) => {
        redisCommandChannel.publish({ command, durationMs: performance.now() - t0, ok: false });
        return this.#rethrow(command, err);
      },
    );
  }

  /** Resolves when the client is ready (at once if it is), else `BackendUnavailableError` after `commandTimeoutMs` or once stopped. */
  protected async connected(command: string): Promise<void> {
    if (this.#stopping !== undefined) throw new BackendUnavailableError(this.name, command, new Error('backend stopped'));
    if (this.#client.status !== 'ready') await this.#whenReady(command);
    if (this.#warm) return;
    this.#warming ??= this.warmUp().then(
      () => {
        this.#warm = true;
      },
      (err: unknown) => {
        this.#warming = undefined;
        throw err;
      },
    );
    await withTimeout(this.#warming, this.timeoutMs, () => new BackendUnavailableError(this.name, command, new Error(`not warmed up within ${this.timeoutMs} ms`))).catch((err: unknown) => this.#rethrow(command, err));
  }

  /**
   * Runs once, after the first `ready` and before the first command: what the client needs before
   * it can serve calls in order (the cluster connects every master of its slot table, so no call
   * races the first slot refresh). Default: nothing.
   */
  protected warmUp(): Promise<void> {
    return Promise.resolve();
  }

  /** Whether ioredis' own `commandTimeout` bounds every command (single node): then {@link bound} is the identity and the hot path skips it. */
  protected readonly selfBounded: boolean = true;

  /** Extra bound on a command's promise; the single-node client's own `commandTimeout` is enough (identity). */
  protected bound<T>(_command: string, p: Promise<T>): Promise<T> {
    return p;
  }

  /** The error for a failed command (never a raw ioredis error). */
  protected mapError(command: string, err: unknown): CacheError {
    if (err instanceof CacheError) return err;
    if (err instanceof ReplyError && !UNAVAILABLE_REPLY.test((err as Error).message)) return new BackendError(this.name, command, err);
    return new BackendUnavailableError(this.name, command, err);
  }

  #rethrow(command: string, err: unknown): never {
    throw this.mapError(command, err);
  }

  #decode(bytes: Buffer, command: string): CacheItem<V> {
    try {
      return this.#codec.decode(bytes);
    } catch (err: unknown) {
      throw new BackendError(this.name, command, new Error(`undecodable record (not written by this serializer): ${String(err)}`));
    }
  }

  /** Resolves at the next `ready`, or rejects `BackendUnavailableError` after `commandTimeoutMs`. */
  #whenReady(command: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ready = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(ready);
        reject(new BackendUnavailableError(this.name, command, new Error(`not connected (${this.#client.status}) within ${this.timeoutMs} ms`)));
      }, this.timeoutMs);
      this.#waiters.add(ready);
    });
  }
}

function noop(): void {}

/** `s` with the glob metacharacters of `SCAN MATCH` escaped. */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** A promise rejecting `BackendUnavailableError` if `p` has not settled within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
