import { readCgroupMemoryLimit, type CgroupPaths } from './cgroup-memory';
import { ConfigError, type ConfigIssue } from './errors';
import { envSchema, SECRET_VARIABLES, type ConsistencyLevel, type LogLevel, type NodeBackend, type ParsedEnv } from './env-schema';
import { hostname } from 'node:os';
import { isUnspecifiedHost, urlHost, type ListenAddress } from './listen-address';

export { DEFAULT_MAX_BODY_BYTES, LogLevel, NodeBackend } from './env-schema';
export type { ConsistencyLevel } from './env-schema';

/** Settings shared by both Redis backends (issue 15). */
export interface RedisCommonConfig {
  /** `HYPERCACHE_REDIS_KEY_PREFIX`, default `hypercache:`: every key this node stores or clears starts with it. */
  readonly keyPrefix: string;
  /** `HYPERCACHE_REDIS_TIMEOUT`, default 1 s: no Redis command waits longer (then `503 BACKEND_UNAVAILABLE`). */
  readonly commandTimeoutMs: number;
}

/**
 * `HYPERCACHE_BACKEND` and its variables: `memory` (default: the in-memory cluster), `redis`
 * (`HYPERCACHE_REDIS_URL`, `redis://` or `rediss://` with user/password/db) or `redis-cluster`
 * (`HYPERCACHE_REDIS_CLUSTER_NODES`, `_PASSWORD`, `_TLS`).
 */
export type BackendConfig =
  | { readonly kind: 'memory' }
  | ({ readonly kind: 'redis'; readonly url: string } & RedisCommonConfig)
  | ({
      readonly kind: 'redis-cluster';
      readonly nodes: ReadonlyArray<{ readonly host: string; readonly port: number }>;
      readonly password: string | undefined;
      readonly tls: boolean;
    } & RedisCommonConfig);

/**
 * Share of the container's memory limit given to cached items when `HYPERCACHE_MAX_MEMORY` is
 * unset; the rest covers the Node runtime, hint queues, tombstones, request bodies and values
 * awaiting garbage collection (docs/operations.md "Capacity planning").
 */
export const MAX_MEMORY_CGROUP_FRACTION = 0.5;

/**
 * What the derived default always leaves to the process besides cached items: the idle server
 * (≈ 170 MiB RSS measured) plus in-flight bodies and uncollected evicted values (the 1 GiB flood
 * test peaked at limit + 243 MiB). The default is `min(limit × 0.5, limit − 320 MiB)`, at least
 * `limit / 8`.
 */
export const CONTAINER_RESERVE_BYTES = 320 * 1024 * 1024;

/** `HYPERCACHE_MAX_MEMORY`'s default for a container memory limit (see {@link CONTAINER_RESERVE_BYTES}). */
export function defaultMaxMemoryBytes(containerLimitBytes: number): number {
  const bytes = Math.min(containerLimitBytes * MAX_MEMORY_CGROUP_FRACTION, containerLimitBytes - CONTAINER_RESERVE_BYTES);
  return Math.floor(Math.max(bytes, containerLimitBytes / 8));
}

/** Where `HYPERCACHE_MAX_MEMORY` came from: the variable, the container limit, or nowhere (no byte limit). */
export type MaxMemorySource = 'env' | 'cgroup' | 'none';

/** Where {@link loadServerConfig} reads the host from (the cgroup files; fixtures in tests). */
export interface ServerConfigHost {
  /** cgroup v2/v1 file locations; default the real `/sys/fs/cgroup` and `/proc/self/cgroup`. */
  readonly cgroup?: CgroupPaths;
}

/**
 * Typed server configuration, parsed once at boot from `HYPERCACHE_*` (config.md A.2). Grouped by
 * the part that consumes it; inside a group the names are that lib's own option names, so the
 * core passes a group through unchanged (`new Rebalancer(deps, config.rebalancer)`).
 */
export interface ServerConfig {
  /** `HYPERCACHE_NODE_ID`; default the OS hostname, else `node`. */
  readonly nodeId: string;
  /** `HYPERCACHE_LOG_LEVEL`, default `info`. */
  readonly logLevel: LogLevel;
  /** `HYPERCACHE_SHUTDOWN_TIMEOUT`, default 30 s: cap on the whole graceful stop. */
  readonly shutdownTimeoutMs: number;
  /** `HYPERCACHE_API_ADDR` (`:8080`), `_MGMT_ADDR` (`:8081`), `_DIST_ADDR` (`:7946`). */
  readonly listeners: { readonly api: ListenAddress; readonly mgmt: ListenAddress; readonly dist: ListenAddress };
  /** The client API listener. */
  readonly clientApi: {
    /** `HYPERCACHE_MAX_BODY_BYTES`, default 4 MiB. */
    readonly maxBodyBytes: number;
    /** `HYPERCACHE_MAX_KEY_LENGTH` in UTF-16 chars, default 1024 (the OpenAPI limit). */
    readonly maxKeyLength: number;
    /** `HYPERCACHE_API_TLS_CERT` / `_KEY` / `_CLIENT_CA`: HTTPS, mTLS with a CA (auth.md §6). */
    readonly tls: { readonly certFile: string; readonly keyFile: string; readonly clientCaFile: string | undefined } | undefined;
    /**
     * `HYPERCACHE_API_ADVERTISE_ADDR` (`host:port`): where clients reach this node's API, carried
     * to every member through gossip (`GET /v1/topology`). Unset: derived by {@link advertisedApiUrl}.
     */
    readonly advertiseAddr: string | undefined;
  };
  /**
   * `HYPERCACHE_RESP_ADDR` (issue 19): the RESP listener's address, undefined = off. It uses the
   * client API's auth policy, body and key limits and, when configured, its TLS material.
   */
  readonly resp: { readonly addr: ListenAddress } | undefined;
  /** The key-change stream `GET /v1/events` (issue 17). */
  readonly events: {
    /** `HYPERCACHE_EVENTS_BUFFER`, default 10000: events kept for `Last-Event-ID` resume. */
    readonly bufferEvents: number;
    /** `HYPERCACHE_EVENTS_HEARTBEAT`, default 5 s: period of `event: heartbeat`. */
    readonly heartbeatMs: number;
    /** `HYPERCACHE_EVENTS_QUEUE`, default 4 MiB: bytes one subscriber may have waiting before it is cut off. */
    readonly queueBytes: number;
  };
  /** Auth sources (auth.md §2, §5). */
  readonly auth: {
    /**
     * `HYPERCACHE_AUTH_TOKEN`: the dist peer token whenever set, and the client API's legacy
     * token (identity `default`, all scopes) only when `HYPERCACHE_AUTH_CONFIG` is unset.
     */
    readonly token: string | undefined;
    /** `HYPERCACHE_AUTH_CONFIG`: path of the policy file (YAML/JSON); read at boot, fail closed. */
    readonly configPath: string | undefined;
    /** `HYPERCACHE_OIDC_ISSUER` / `_AUDIENCE` (both or neither) / `_IDENTITY_CLAIM` / `_SCOPE_CLAIM`. */
    readonly oidc: { readonly issuer: string; readonly audience: string; readonly identityClaim: string; readonly scopeClaim: string } | undefined;
  };
  /** `HyperCacheOptions` of the engine. */
  readonly engine: {
    /** `HYPERCACHE_CAPACITY` in items, default 100000; 0 = unlimited. */
    readonly capacity: number;
    /** 0 = proactive eviction after every write: capacity is a hard bound (docs/decisions.md S11). */
    readonly evictionIntervalMs: number;
    /** Expiration sweep period (fixed upstream: 30 min). */
    readonly expirationIntervalMs: number;
    /** Eviction algorithm (fixed upstream: `lfu`). */
    readonly evictionAlgorithm: string;
    /**
     * `HYPERCACHE_MAX_MEMORY` in bytes (`64MiB`, `1GiB`, …): the node keeps the bytes accounted for
     * its cached items (values, keys, per-item overhead) under it by evicting. Unset: derived from
     * the container's cgroup memory limit ({@link defaultMaxMemoryBytes}); no limit found, or `0`:
     * no byte limit.
     */
    readonly maxCacheSizeBytes: number;
    /** A write past {@link maxCacheSizeBytes} evicts with the algorithm until it fits (never `reject`). */
    readonly cacheFullPolicy: 'evict';
  };
  /** Where the memory limit came from, and the container's limit (`/metrics`). */
  readonly memory: {
    /** How `engine.maxCacheSizeBytes` was decided. */
    readonly maxMemorySource: MaxMemorySource;
    /** The container's cgroup memory limit in bytes, 0 when none was found. */
    readonly containerLimitBytes: number;
  };
  /** Where the node's data lives (`HYPERCACHE_BACKEND`, issue 15). */
  readonly backend: BackendConfig;
  /** `HYPERCACHE_SEEDS`: raw comma-separated `id@host:port` entries (parsed by the membership lib). */
  readonly seeds: readonly string[];
  /** `HashRing` options: `HYPERCACHE_REPLICATION` (3), `HYPERCACHE_VIRTUAL_NODES` (64). */
  readonly ring: { readonly replication: number; readonly virtualNodes: number };
  /** `DistributedCacheOptions` (config.md B.4). */
  readonly dist: {
    readonly readConsistency: ConsistencyLevel;
    readonly writeConsistency: ConsistencyLevel;
    /** `HYPERCACHE_REPLICATION` again: QUORUM/ALL acks follow the configured factor, not a shrunk ring (docs/decisions.md F1). */
    readonly replication: number;
    /**
     * `HYPERCACHE_SLOPPY_QUORUM` (`true`/`false`/`1`/`0`, default false): upstream's sloppy quorum,
     * where required acks follow the current ring and a cut-off node may acknowledge QUORUM writes
     * alone. Off, a node that reaches no majority of the known members answers 503
     * QUORUM_UNAVAILABLE (docs/decisions.md F1, F2).
     */
    readonly sloppyQuorum: boolean;
    /**
     * `HYPERCACHE_WRITE_COORDINATOR` (`primary` default, or `owner`): with `owner` a node that owns
     * a key coordinates its writes and deletes itself instead of forwarding them to the primary
     * (docs/decisions.md F15: about twice the replicated write throughput, at the price of the
     * single version issuer per key).
     */
    readonly writeCoordinator: 'primary' | 'owner';
    /** `HYPERCACHE_HINT_TTL`, default 30 s; 0 disables hinted handoff. */
    readonly hintTtlMs: number;
    /** `HYPERCACHE_HINT_REPLAY`, default 200 ms; 0 disables replay. */
    readonly hintReplayIntervalMs: number;
    /** `HYPERCACHE_HINT_MAX_PER_NODE` / `_MAX_TOTAL` / `_MAX_BYTES`, default 0 = unlimited. */
    readonly hintMaxPerNode: number;
    readonly hintMaxTotal: number;
    readonly hintMaxBytes: number;
    /** `HYPERCACHE_TOMBSTONE_TTL`, default 24 h; 0 = keep forever. */
    readonly tombstoneTtlMs: number;
    /** `HYPERCACHE_TOMBSTONE_SWEEP`, default 1 min; 0 disables sweeping. */
    readonly tombstoneSweepIntervalMs: number;
  };
  /** `HttpPeerTransportOptions` (the token and TLS come from `auth` and `distTls`). */
  readonly transport: {
    /** `HYPERCACHE_DIST_TIMEOUT`, default 5 s: per peer request. */
    readonly timeoutMs: number;
    /** `HYPERCACHE_DIST_COMPRESSION_THRESHOLD` bytes, default 0 = never gzip. */
    readonly compressionThresholdBytes: number;
    /** `HYPERCACHE_DIST_BATCH_MAX_OPS`, default 256; the variable's 0 (one call per operation) is the transport's -1. */
    readonly batchMaxOps: number;
  };
  /** `HYPERCACHE_DIST_TLS_CERT` / `_KEY` / `_CA`: TLS for the dist listener and peer client. */
  readonly distTls: { readonly certFile: string; readonly keyFile: string; readonly caFile: string | undefined } | undefined;
  /** `FailureDetectorOptions` (SWIM). */
  readonly swim: {
    /** `HYPERCACHE_HEARTBEAT`, default 1 s (suspect 3H, dead 6H, timeouts H/2); 0 disables. */
    readonly heartbeatIntervalMs: number;
    /** `HYPERCACHE_INDIRECT_PROBE_K`, default 2; negative → 0 (disabled). */
    readonly indirectProbeK: number;
    /** `HYPERCACHE_GOSSIP_INTERVAL`, default 1 s; 0 disables gossip. */
    readonly gossipIntervalMs: number;
  };
  /** `RebalancerOptions`: `HYPERCACHE_REBALANCE_INTERVAL`, default 250 ms; 0 disables. */
  readonly rebalancer: { readonly intervalMs: number };
  /** `AntiEntropyOptions`: `HYPERCACHE_MERKLE_SYNC_INTERVAL` (10 s; 0 off), `_SYNC_PEERS` (1; 0 = all), `_CHUNK_SIZE` (128). */
  readonly antiEntropy: { readonly intervalMs: number; readonly peersPerTick: number; readonly chunkSize: number };
}

function grouped(e: ParsedEnv, containerLimitBytes: number): ServerConfig {
  const cert = e.HYPERCACHE_DIST_TLS_CERT;
  const key = e.HYPERCACHE_DIST_TLS_KEY;
  const apiCert = e.HYPERCACHE_API_TLS_CERT;
  const apiKey = e.HYPERCACHE_API_TLS_KEY;
  const issuer = e.HYPERCACHE_OIDC_ISSUER;
  const audience = e.HYPERCACHE_OIDC_AUDIENCE;
  const memory = maxMemory(e.HYPERCACHE_MAX_MEMORY, containerLimitBytes);
  return {
    nodeId: e.HYPERCACHE_NODE_ID,
    logLevel: e.HYPERCACHE_LOG_LEVEL,
    shutdownTimeoutMs: e.HYPERCACHE_SHUTDOWN_TIMEOUT,
    listeners: { api: e.HYPERCACHE_API_ADDR, mgmt: e.HYPERCACHE_MGMT_ADDR, dist: e.HYPERCACHE_DIST_ADDR },
    clientApi: {
      maxBodyBytes: e.HYPERCACHE_MAX_BODY_BYTES,
      maxKeyLength: e.HYPERCACHE_MAX_KEY_LENGTH,
      tls: apiCert && apiKey ? { certFile: apiCert, keyFile: apiKey, clientCaFile: e.HYPERCACHE_API_TLS_CLIENT_CA } : undefined,
      advertiseAddr: e.HYPERCACHE_API_ADVERTISE_ADDR,
    },
    resp: e.HYPERCACHE_RESP_ADDR === undefined ? undefined : { addr: e.HYPERCACHE_RESP_ADDR },
    events: { bufferEvents: e.HYPERCACHE_EVENTS_BUFFER, heartbeatMs: e.HYPERCACHE_EVENTS_HEARTBEAT, queueBytes: e.HYPERCACHE_EVENTS_QUEUE ?? 4 * 1024 * 1024 },
    auth: {
      token: e.HYPERCACHE_AUTH_TOKEN,
      configPath: e.HYPERCACHE_AUTH_CONFIG,
      oidc:
        issuer && audience
          ? { issuer, audience, identityClaim: e.HYPERCACHE_OIDC_IDENTITY_CLAIM, scopeClaim: e.HYPERCACHE_OIDC_SCOPE_CLAIM }
          : undefined,
    },
    engine: {
      capacity: e.HYPERCACHE_CAPACITY,
      evictionIntervalMs: 0,
      expirationIntervalMs: 30 * 60_000,
      evictionAlgorithm: 'lfu',
      maxCacheSizeBytes: memory.maxCacheSizeBytes,
      cacheFullPolicy: 'evict',
    },
    memory: { maxMemorySource: memory.source, containerLimitBytes },
    backend: backendConfig(e),
    seeds: e.HYPERCACHE_SEEDS,
    ring: { replication: e.HYPERCACHE_REPLICATION, virtualNodes: e.HYPERCACHE_VIRTUAL_NODES },
    dist: {
      readConsistency: e.HYPERCACHE_READ_CONSISTENCY,
      writeConsistency: e.HYPERCACHE_WRITE_CONSISTENCY,
      replication: e.HYPERCACHE_REPLICATION,
      sloppyQuorum: e.HYPERCACHE_SLOPPY_QUORUM,
      writeCoordinator: e.HYPERCACHE_WRITE_COORDINATOR,
      hintTtlMs: e.HYPERCACHE_HINT_TTL,
      hintReplayIntervalMs: e.HYPERCACHE_HINT_REPLAY,
      hintMaxPerNode: e.HYPERCACHE_HINT_MAX_PER_NODE,
      hintMaxTotal: e.HYPERCACHE_HINT_MAX_TOTAL,
      hintMaxBytes: e.HYPERCACHE_HINT_MAX_BYTES,
      tombstoneTtlMs: e.HYPERCACHE_TOMBSTONE_TTL,
      tombstoneSweepIntervalMs: e.HYPERCACHE_TOMBSTONE_SWEEP,
    },
    transport: {
      timeoutMs: e.HYPERCACHE_DIST_TIMEOUT,
      compressionThresholdBytes: e.HYPERCACHE_DIST_COMPRESSION_THRESHOLD,
      batchMaxOps: e.HYPERCACHE_DIST_BATCH_MAX_OPS === 0 ? -1 : e.HYPERCACHE_DIST_BATCH_MAX_OPS,
    },
    distTls: cert && key ? { certFile: cert, keyFile: key, caFile: e.HYPERCACHE_DIST_TLS_CA } : undefined,
    swim: { heartbeatIntervalMs: e.HYPERCACHE_HEARTBEAT, indirectProbeK: e.HYPERCACHE_INDIRECT_PROBE_K, gossipIntervalMs: e.HYPERCACHE_GOSSIP_INTERVAL },
    rebalancer: { intervalMs: e.HYPERCACHE_REBALANCE_INTERVAL },
    antiEntropy: { intervalMs: e.HYPERCACHE_MERKLE_SYNC_INTERVAL, peersPerTick: e.HYPERCACHE_MERKLE_SYNC_PEERS, chunkSize: e.HYPERCACHE_MERKLE_CHUNK_SIZE },
  };
}

function backendConfig(e: ParsedEnv): BackendConfig {
  const kind: NodeBackend = e.HYPERCACHE_BACKEND;
  const common = { keyPrefix: e.HYPERCACHE_REDIS_KEY_PREFIX, commandTimeoutMs: e.HYPERCACHE_REDIS_TIMEOUT };
  // The schema's cross-checks guarantee the URL / the nodes for their kind.
  if (kind === 'redis') return { kind, url: e.HYPERCACHE_REDIS_URL!, ...common };
  if (kind === 'redis-cluster') {
    return { kind, nodes: e.HYPERCACHE_REDIS_CLUSTER_NODES!, password: e.HYPERCACHE_REDIS_PASSWORD, tls: e.HYPERCACHE_REDIS_TLS, ...common };
  }
  return { kind: 'memory' };
}

/** The value of a bad variable as an error may show it: secrets redacted, a URL's password masked. */
function shownValue(variable: string, raw: string): string {
  if (SECRET_VARIABLES.has(variable)) return '<redacted>';
  if (variable === 'HYPERCACHE_REDIS_URL') return raw.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1<redacted>@');
  return raw;
}

function maxMemory(fromEnv: number | undefined, containerLimitBytes: number): { maxCacheSizeBytes: number; source: MaxMemorySource } {
  if (fromEnv !== undefined) return { maxCacheSizeBytes: fromEnv, source: 'env' };
  if (containerLimitBytes > 0) return { maxCacheSizeBytes: defaultMaxMemoryBytes(containerLimitBytes), source: 'cgroup' };
  return { maxCacheSizeBytes: 0, source: 'none' };
}

/**
 * Reads and validates every `HYPERCACHE_*` variable this build uses with one schema. Any bad
 * variable throws one {@link ConfigError} that lists every bad variable with its value (a
 * secret's value is never echoed) — TS decision: fail fast instead of upstream's silent fallback.
 * The container memory limit (default of `HYPERCACHE_MAX_MEMORY`) is read from `host.cgroup`.
 */
export function loadServerConfig(env: Record<string, string | undefined> = process.env, host: ServerConfigHost = {}): ServerConfig {
  const r = envSchema.safeParse(env);
  if (r.success) return grouped(r.data, readCgroupMemoryLimit(host.cgroup)?.bytes ?? 0);
  const byVariable = new Map<string, ConfigIssue>();
  for (const issue of r.error.issues) {
    const variable = String(issue.path[0]);
    const value = shownValue(variable, env[variable] ?? '');
    const seen = byVariable.get(variable);
    byVariable.set(variable, { variable, value, reason: seen ? `${seen.reason}; ${issue.message}` : issue.message });
  }
  throw new ConfigError([...byVariable.values()]);
}

/**
 * The client API base URL this node advertises (issue 17): `https://` when the API has TLS, else
 * `http://`, then `HYPERCACHE_API_ADVERTISE_ADDR` when set; otherwise the API listen address with
 * an unspecified host (`0.0.0.0`, `::`, `:port`) replaced by the dist address's host, and that one
 * by the OS hostname when it is unspecified too. `boundPort` is the port the API listener actually
 * bound (differs from the config when it asked for port 0).
 */
export function advertisedApiUrl(config: Pick<ServerConfig, 'listeners' | 'clientApi'>, boundPort = config.listeners.api.port): string {
  const scheme = config.clientApi.tls === undefined ? 'http' : 'https';
  if (config.clientApi.advertiseAddr !== undefined) return `${scheme}://${config.clientApi.advertiseAddr}`;
  const { api, dist } = config.listeners;
  const host = !isUnspecifiedHost(api.host) ? api.host : !isUnspecifiedHost(dist.host) ? dist.host : hostname() || 'localhost';
  return `${scheme}://${urlHost(host)}:${boundPort}`;
}
