import calculateSlot from 'cluster-key-slot';
import { Cluster, type ClusterOptions, type Redis } from 'ioredis';
import { BackendUnavailableError } from './errors';
import { KEY_BATCH, RedisStore, withTimeout } from './redis-store';
import { resolveRedisClusterBackendOptions, type RedisClusterBackendOptions, type ResolvedRedisClusterBackendOptions } from './redis-options';
import { reconnectDelayMs } from './retry';

/**
 * The `redis-cluster` backend (engine.md §11, config.md B.3) over an ioredis `Cluster`. Same
 * record layout as `RedisBackend` (one string per item at `keyPrefix + key`, native `PX` TTL),
 * spread over the slots by the item key. No command ever spans two hash slots: `remove` and
 * `clear` send one `DEL` per slot, `list` one `MGET` per slot, and `count`/`list`/`clear` fan
 * `SCAN … MATCH <keyPrefix>*` out over every master (decisions B2, B4).
 *
 * Every call settles within `commandTimeoutMs` (`BackendUnavailableError` when the slot's master
 * is down or the cluster is failing over); after a replica takes over, calls succeed again
 * without a new backend.
 */
export class RedisClusterBackend<V = unknown> extends RedisStore<V> {
  readonly name = 'redis-cluster' as const;
  /** The ioredis cluster client (for telemetry or admin commands; do not close it, call `stop()`). */
  readonly client: Cluster;

  /** Connects (in the background) with options resolved by {@link resolveRedisClusterBackendOptions}. */
  constructor(options: RedisClusterBackendOptions) {
    const o = resolveRedisClusterBackendOptions(options);
    const client = new Cluster(o.nodes, clusterOptions(o));
    super(client, o);
    this.client = client;
  }

  /** Resolves when every master answers `PING` within `commandTimeoutMs`. */
  async ping(): Promise<void> {
    await this.connected('ping');
    const masters = this.#masters();
    await withTimeout(
      Promise.all(masters.map((m) => this.command('ping', () => m.ping()))),
      this.timeoutMs,
      () => new BackendUnavailableError(this.name, 'ping', new Error(`not every master answered within ${this.timeoutMs} ms`)),
    );
  }

  protected async forEachKeyBatch(fn: (keys: string[]) => unknown): Promise<void> {
    await this.connected('scan');
    const masters = this.#masters();
    // One master after the other: `fn` may issue commands of its own, keep the fan-out bounded.
    for (const m of masters) await this.scanNode(m, fn);
  }

  /** Groups by hash slot, at most `KEY_BATCH` keys a group: every multi-key command stays in one slot. */
  protected groupKeys(keys: readonly string[]): string[][] {
    const bySlot = new Map<number, string[]>();
    for (const k of keys) {
      const slot = calculateSlot(k);
      const g = bySlot.get(slot);
      if (g === undefined) bySlot.set(slot, [k]);
      else g.push(k);
    }
    const out: string[][] = [];
    for (const g of bySlot.values()) for (let i = 0; i < g.length; i += KEY_BATCH) out.push(g.slice(i, i + KEY_BATCH));
    return out;
  }

  /** Connects every master of the slot table (`PING`) before the first command: commands then never race the first slot refresh. */
  protected override async warmUp(): Promise<void> {
    await Promise.all(this.#masters().map((m) => m.ping()));
  }

  protected override readonly selfBounded = false;

  /** Cluster commands can wait on slot refreshes and redirections outside ioredis' per-node timer: bound them. */
  protected override bound<T>(command: string, p: Promise<T>): Promise<T> {
    return withTimeout(p, this.timeoutMs, () => new BackendUnavailableError(this.name, command, new Error(`no answer within ${this.timeoutMs} ms`)));
  }

  /**
   * The connection of every master in the slot table (one per master, replicas never: a replica
   * would count its master's keys twice). The pool's own roles lag behind while ioredis sorts the
   * seed nodes out, so the slot table decides. A master without a live connection (failing over)
   * → `BackendUnavailableError`.
   */
  #masters(): Redis[] {
    const keys = new Set<string>();
    for (const owners of this.client.slots) if (owners !== undefined && owners.length > 0) keys.add(owners[0]);
    if (keys.size === 0) throw new BackendUnavailableError(this.name, 'scan', new Error('no slot table yet (cluster not ready)'));
    const byKey = new Map(this.client.nodes('all').map((r) => [`${r.options.host}:${r.options.port}`, r]));
    return [...keys].map((key) => {
      const node = byKey.get(key);
      if (node === undefined || node.status === 'end') throw new BackendUnavailableError(this.name, 'scan', new Error(`no connection to master ${key}`));
      return node;
    });
  }
}

/** ioredis options of the cluster client (decisions B5). */
function clusterOptions(o: ResolvedRedisClusterBackendOptions): ClusterOptions {
  return {
    // At the Cluster level only: inside `redisOptions` it would break the slot refresh.
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelayMs,
    scaleReads: 'master',
    enableReadyCheck: true,
    slotsRefreshTimeout: Math.max(o.commandTimeoutMs, 1_000),
    slotsRefreshInterval: 2_000,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    redisOptions: {
      username: o.username,
      password: o.password,
      tls: o.tls,
      connectTimeout: o.connectTimeoutMs,
      commandTimeout: o.commandTimeoutMs,
      maxRetriesPerRequest: o.maxRetriesPerRequest,
      autoResendUnfulfilledCommands: false,
    },
  };
}

/** Builds a {@link RedisClusterBackend}; options are checked in one place (`InvalidOptionError` names the bad one). */
export function createRedisClusterBackend<V = unknown>(options: RedisClusterBackendOptions): RedisClusterBackend<V> {
  return new RedisClusterBackend<V>(options);
}
