import { ConfigError, type ConfigIssue } from './errors';
import { envSchema, SECRET_VARIABLES, type ConsistencyLevel, type LogLevel, type ParsedEnv } from './env-schema';
import type { ListenAddress } from './listen-address';

export { DEFAULT_MAX_BODY_BYTES, LogLevel } from './env-schema';
export type { ConsistencyLevel } from './env-schema';

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
  };
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

function grouped(e: ParsedEnv): ServerConfig {
  const cert = e.HYPERCACHE_DIST_TLS_CERT;
  const key = e.HYPERCACHE_DIST_TLS_KEY;
  const apiCert = e.HYPERCACHE_API_TLS_CERT;
  const apiKey = e.HYPERCACHE_API_TLS_KEY;
  const issuer = e.HYPERCACHE_OIDC_ISSUER;
  const audience = e.HYPERCACHE_OIDC_AUDIENCE;
  return {
    nodeId: e.HYPERCACHE_NODE_ID,
    logLevel: e.HYPERCACHE_LOG_LEVEL,
    shutdownTimeoutMs: e.HYPERCACHE_SHUTDOWN_TIMEOUT,
    listeners: { api: e.HYPERCACHE_API_ADDR, mgmt: e.HYPERCACHE_MGMT_ADDR, dist: e.HYPERCACHE_DIST_ADDR },
    clientApi: {
      maxBodyBytes: e.HYPERCACHE_MAX_BODY_BYTES,
      maxKeyLength: e.HYPERCACHE_MAX_KEY_LENGTH,
      tls: apiCert && apiKey ? { certFile: apiCert, keyFile: apiKey, clientCaFile: e.HYPERCACHE_API_TLS_CLIENT_CA } : undefined,
    },
    auth: {
      token: e.HYPERCACHE_AUTH_TOKEN,
      configPath: e.HYPERCACHE_AUTH_CONFIG,
      oidc:
        issuer && audience
          ? { issuer, audience, identityClaim: e.HYPERCACHE_OIDC_IDENTITY_CLAIM, scopeClaim: e.HYPERCACHE_OIDC_SCOPE_CLAIM }
          : undefined,
    },
    engine: { capacity: e.HYPERCACHE_CAPACITY, evictionIntervalMs: 0, expirationIntervalMs: 30 * 60_000, evictionAlgorithm: 'lfu' },
    seeds: e.HYPERCACHE_SEEDS,
    ring: { replication: e.HYPERCACHE_REPLICATION, virtualNodes: e.HYPERCACHE_VIRTUAL_NODES },
    dist: {
      readConsistency: e.HYPERCACHE_READ_CONSISTENCY,
      writeConsistency: e.HYPERCACHE_WRITE_CONSISTENCY,
      replication: e.HYPERCACHE_REPLICATION,
      sloppyQuorum: e.HYPERCACHE_SLOPPY_QUORUM,
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

/**
 * Reads and validates every `HYPERCACHE_*` variable this build uses with one schema. Any bad
 * variable throws one {@link ConfigError} that lists every bad variable with its value (a
 * secret's value is never echoed) — TS decision: fail fast instead of upstream's silent fallback.
 */
export function loadServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const r = envSchema.safeParse(env);
  if (r.success) return grouped(r.data);
  const byVariable = new Map<string, ConfigIssue>();
  for (const issue of r.error.issues) {
    const variable = String(issue.path[0]);
    const value = SECRET_VARIABLES.has(variable) ? '<redacted>' : (env[variable] ?? '');
    const seen = byVariable.get(variable);
    byVariable.set(variable, { variable, value, reason: seen ? `${seen.reason}; ${issue.message}` : issue.message });
  }
  throw new ConfigError([...byVariable.values()]);
}
