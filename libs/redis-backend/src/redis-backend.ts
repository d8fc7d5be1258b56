import { Redis, type RedisOptions } from 'ioredis';
import { BackendUnavailableError } from './errors';
import { KEY_BATCH, RedisStore, withTimeout } from './redis-store';
import { resolveRedisBackendOptions, type RedisBackendOptions, type ResolvedRedisBackendOptions } from './redis-options';
import { reconnectDelayMs } from './retry';

/**
 * The `redis` backend (engine.md §11, config.md B.3) over one ioredis connection to a single
 * Redis server. Each item is one Redis string at `keyPrefix + key` holding the whole encoded
 * record, with a native `PX` TTL; `count`, `list` and `clear` walk `SCAN … MATCH <keyPrefix>*`,
 * so keys of other programs in the same database are never counted, listed or deleted (no
 * `DBSIZE`, no `FLUSHDB`). Use it behind `AsyncHyperCache`:
 *
 * ```ts
 * const cache = new AsyncHyperCache({ backend: createRedisBackend({ url: 'redis://127.0.0.1:6379/0' }) });
 * ```
 *
 * Every call settles within `commandTimeoutMs`: while Redis is down or unreachable it rejects
 * `BackendUnavailableError` (code `BACKEND_UNAVAILABLE`); the client reconnects on its own.
 */
export class RedisBackend<V = unknown> extends RedisStore<V> {
  readonly name = 'redis' as const;
  /** The ioredis client (for telemetry or admin commands; do not close it, call `stop()`). */
  readonly client: Redis;

  /** Connects (in the background) with options resolved by {@link resolveRedisBackendOptions}. */
  constructor(options: RedisBackendOptions = {}) {
    const o = resolveRedisBackendOptions(options);
    const client = new Redis(clientOptions(o));
    super(client, o);
    this.client = client;
  }

  async ping(): Promise<void> {
    await withTimeout(this.command('ping', () => this.client.ping()), this.timeoutMs, () => new BackendUnavailableError(this.name, 'ping', new Error(`no PONG within ${this.timeoutMs} ms`)));
  }

  protected forEachKeyBatch(fn: (keys: string[]) => unknown): Promise<void> {
    return this.scanNode(this.client, fn);
  }

  protected groupKeys(keys: readonly string[]): string[][] {
    const out: string[][] = [];
    for (let i = 0; i < keys.length; i += KEY_BATCH) out.push(keys.slice(i, i + KEY_BATCH));
    return out;
  }
}

/** ioredis options of the single-node client (decisions B5). */
function clientOptions(o: ResolvedRedisBackendOptions): RedisOptions {
  return {
    host: o.host,
    port: o.port,
    db: o.db,
    username: o.username,
    password: o.password,
    tls: o.tls,
    connectTimeout: o.connectTimeoutMs,
    commandTimeout: o.commandTimeoutMs,
    maxRetriesPerRequest: o.maxRetriesPerRequest,
    retryStrategy: reconnectDelayMs,
    // Calls wait for `ready` in the backend's own gate (bounded), never in an unbounded queue that
    // would replay timed-out writes after a reconnect.
    enableOfflineQueue: false,
    // A command cut off by a dropped connection fails (BACKEND_UNAVAILABLE) instead of being sent
    // again after the reconnect, when its caller may long have been told it failed.
    autoResendUnfulfilledCommands: false,
    enableReadyCheck: true,
    lazyConnect: false,
    // Commands issued in one tick leave in one write (order kept; decisions B7).
    enableAutoPipelining: true,
  };
}

/** Builds a {@link RedisBackend}; options are checked in one place (`InvalidOptionError` names the bad one). */
export function createRedisBackend<V = unknown>(options: RedisBackendOptions = {}): RedisBackend<V> {
  return new RedisBackend<V>(options);
}
