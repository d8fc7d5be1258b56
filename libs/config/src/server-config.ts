import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError } from './errors';
import { parseGoDurationMs } from './go-duration';
import { parseListenAddress, type ListenAddress } from './listen-address';

/** Log levels accepted by `HYPERCACHE_LOG_LEVEL` (case-insensitive; `warning` = `warn`). */
export const LogLevel = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
  silent: 'silent',
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Default request body cap of the client API: 4 MiB (client-api.md §1). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Typed server configuration, parsed once at boot from `HYPERCACHE_*` (config.md A.2). */
export interface ServerConfig {
  /** `HYPERCACHE_NODE_ID`; default the OS hostname, else `node`. */
  readonly nodeId: string;
  /** `HYPERCACHE_API_ADDR`, default `:8080`. */
  readonly apiAddr: ListenAddress;
  /** `HYPERCACHE_MGMT_ADDR`, default `:8081`. */
  readonly mgmtAddr: ListenAddress;
  /** `HYPERCACHE_DIST_ADDR`, default `:7946`. */
  readonly distAddr: ListenAddress;
  /** `HYPERCACHE_LOG_LEVEL`, default `info`. */
  readonly logLevel: LogLevel;
  /**
   * `HYPERCACHE_AUTH_TOKEN`: the dist peer token whenever set, and the client API's legacy token
   * (identity `default`, all scopes) only when `HYPERCACHE_AUTH_CONFIG` is unset (auth.md §2).
   */
  readonly authToken: string | undefined;
  /** `HYPERCACHE_AUTH_CONFIG`: path of the auth policy file (YAML/JSON); read at boot, fail closed. */
  readonly authConfigPath: string | undefined;
  /** `HYPERCACHE_API_TLS_CERT` / `_KEY` / `_CLIENT_CA`: HTTPS on the client API, mTLS with a CA (auth.md §6). */
  readonly apiTls: { certFile: string; keyFile: string; clientCaFile: string | undefined } | undefined;
  /** `HYPERCACHE_OIDC_ISSUER` / `_AUDIENCE` (both or neither) / `_IDENTITY_CLAIM` / `_SCOPE_CLAIM` (auth.md §5). */
  readonly oidc: { issuer: string; audience: string; identityClaim: string; scopeClaim: string } | undefined;
  /** `HYPERCACHE_CAPACITY` in items, default 100000; 0 = unlimited. Applied (upstream never does). */
  readonly capacity: number;
  /** `HYPERCACHE_MAX_BODY_BYTES`, default 4 MiB: request body cap of the client API. */
  readonly maxBodyBytes: number;
  /** `HYPERCACHE_MAX_KEY_LENGTH` in UTF-16 chars, default 1024 (the OpenAPI limit). */
  readonly maxKeyLength: number;
  /** `HYPERCACHE_SHUTDOWN_TIMEOUT`, default 30 s: cap on finishing in-flight requests. */
  readonly shutdownTimeoutMs: number;
  /**
   * Engine eviction loop interval; 0 = proactive eviction after every write, which makes
   * `HYPERCACHE_CAPACITY` a hard bound (upstream's binary: a 10 min loop; docs/decisions.md S11).
   */
  readonly evictionIntervalMs: number;
  /** Engine expiration sweep interval (fixed upstream: 30 min). */
  readonly expirationIntervalMs: number;
  /** Engine eviction algorithm (fixed upstream: `lfu`). */
  readonly evictionAlgorithm: string;
  /** `HYPERCACHE_SEEDS`: raw comma-separated `id@host:port` entries (parsed by the membership lib). */
  readonly seeds: readonly string[];
  /** `HYPERCACHE_REPLICATION`, default 3: owners per key. */
  readonly replication: number;
  /** `HYPERCACHE_VIRTUAL_NODES`, default 64 (fixed upstream). */
  readonly virtualNodes: number;
  /** `HYPERCACHE_READ_CONSISTENCY`, default ONE. */
  readonly readConsistency: ConsistencyLevel;
  /** `HYPERCACHE_WRITE_CONSISTENCY`, default QUORUM. */
  readonly writeConsistency: ConsistencyLevel;
  /**
   * `HYPERCACHE_SLOPPY_QUORUM` (`true`/`false`, default false): upstream's sloppy quorum, where
   * required acks follow the current ring and a cut-off node may acknowledge QUORUM writes alone.
   * Off, a node that reaches no majority of the known members answers 503 QUORUM_UNAVAILABLE
   * (docs/decisions.md C1).
   */
  readonly sloppyQuorum: boolean;
  /** `HYPERCACHE_HINT_TTL`, default 30 s; 0 disables hinted handoff. */
  readonly hintTtlMs: number;
  /** `HYPERCACHE_HINT_REPLAY`, default 200 ms; 0 disables replay. */
  readonly hintReplayMs: number;
  /** `HYPERCACHE_HINT_MAX_PER_NODE` / `_MAX_TOTAL` / `_MAX_BYTES`, default 0 = unlimited. */
  readonly hintMaxPerNode: number;
  readonly hintMaxTotal: number;
  readonly hintMaxBytes: number;
  /** `HYPERCACHE_TOMBSTONE_TTL`, default 24 h (upstream binary: forever); 0 = keep forever. */
  readonly tombstoneTtlMs: number;
  /** `HYPERCACHE_TOMBSTONE_SWEEP`, default 1 min; 0 disables sweeping. */
  readonly tombstoneSweepMs: number;
  /** `HYPERCACHE_DIST_TIMEOUT`, default 5 s: per peer request. */
  readonly distTimeoutMs: number;
  /** `HYPERCACHE_DIST_COMPRESSION_THRESHOLD` bytes, default 0 = never gzip peer set bodies. */
  readonly distCompressionThresholdBytes: number;
  /**
   * `HYPERCACHE_DIST_BATCH_MAX_OPS`, default 256: most replica/forward operations coalesced into
   * one `POST /internal/batch` call per peer; 0 = one HTTP call per operation (upstream's wire).
   */
  readonly distBatchMaxOps: number;
  /** `HYPERCACHE_DIST_TLS_CERT` / `_KEY` / `_CA`: TLS for the dist listener and peer client (all or none of cert+key). */
  readonly distTls: { certFile: string; keyFile: string; caFile: string | undefined } | undefined;
  /** `HYPERCACHE_HEARTBEAT`, default 1 s: probe interval H (suspect 3H, dead 6H, timeouts H/2); 0 disables. */
  readonly heartbeatMs: number;
  /** `HYPERCACHE_INDIRECT_PROBE_K`, default 2: relays per failed probe; 0 (or negative) disables. */
  readonly indirectProbeK: number;
  /** `HYPERCACHE_GOSSIP_INTERVAL`, default 1 s; 0 disables gossip. */
  readonly gossipIntervalMs: number;
  /** `HYPERCACHE_REBALANCE_INTERVAL`, default 250 ms; 0 disables rebalancing. */
  readonly rebalanceIntervalMs: number;
  /** `HYPERCACHE_MERKLE_SYNC_INTERVAL`, default 10 s (TS: on; upstream binary: off); 0 disables auto-sync. */
  readonly merkleSyncIntervalMs: number;
  /** `HYPERCACHE_MERKLE_SYNC_PEERS`, default 1: peers synced per auto-sync tick; 0 = all. */
  readonly merkleSyncPeers: number;
  /** `HYPERCACHE_MERKLE_CHUNK_SIZE`, default 128: target entries per Merkle leaf. */
  readonly merkleChunkSize: number;
}

/** Read/write consistency levels (dist-protocol.md §5, §7). */
export type ConsistencyLevel = 'ONE' | 'QUORUM' | 'ALL';

function consistency(env: Env, name: string, fallback: ConsistencyLevel): ConsistencyLevel {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const v = raw.toUpperCase();
  if (v === 'ONE' || v === 'QUORUM' || v === 'ALL') return v;
  throw new ConfigError(name, raw, 'expected one of ONE, QUORUM, ALL');
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const v = raw.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ConfigError(name, raw, 'expected true or false');
}

function distTls(env: Env): ServerConfig['distTls'] {
  const cert = optional(env, 'HYPERCACHE_DIST_TLS_CERT');
  const key = optional(env, 'HYPERCACHE_DIST_TLS_KEY');
  const ca = optional(env, 'HYPERCACHE_DIST_TLS_CA');
  if (cert === undefined && key === undefined) {
    if (ca !== undefined) throw new ConfigError('HYPERCACHE_DIST_TLS_CA', ca, 'needs HYPERCACHE_DIST_TLS_CERT and HYPERCACHE_DIST_TLS_KEY');
    return undefined;
  }
  if (cert === undefined) throw new ConfigError('HYPERCACHE_DIST_TLS_CERT', '', 'must be set together with HYPERCACHE_DIST_TLS_KEY');
  if (key === undefined) throw new ConfigError('HYPERCACHE_DIST_TLS_KEY', '', 'must be set together with HYPERCACHE_DIST_TLS_CERT');
  return { certFile: cert, keyFile: key, caFile: ca };
}

function apiTls(env: Env): ServerConfig['apiTls'] {
  const cert = optional(env, 'HYPERCACHE_API_TLS_CERT');
  const key = optional(env, 'HYPERCACHE_API_TLS_KEY');
  const ca = optional(env, 'HYPERCACHE_API_TLS_CLIENT_CA');
  if (cert === undefined && key === undefined) {
    if (ca !== undefined) throw new ConfigError('HYPERCACHE_API_TLS_CLIENT_CA', ca, 'needs HYPERCACHE_API_TLS_CERT and HYPERCACHE_API_TLS_KEY');
    return undefined;
  }
  if (cert === undefined) throw new ConfigError('HYPERCACHE_API_TLS_CERT', '', 'must be set together with HYPERCACHE_API_TLS_KEY');
  if (key === undefined) throw new ConfigError('HYPERCACHE_API_TLS_KEY', '', 'must be set together with HYPERCACHE_API_TLS_CERT');
  return { certFile: cert, keyFile: key, clientCaFile: ca };
}

function oidc(env: Env): ServerConfig['oidc'] {
  const issuer = optional(env, 'HYPERCACHE_OIDC_ISSUER');
  const audience = optional(env, 'HYPERCACHE_OIDC_AUDIENCE');
  if (issuer === undefined && audience === undefined) return undefined;
  if (issuer === undefined) throw new ConfigError('HYPERCACHE_OIDC_ISSUER', '', 'must be set together with HYPERCACHE_OIDC_AUDIENCE');
  if (audience === undefined) throw new ConfigError('HYPERCACHE_OIDC_AUDIENCE', '', 'must be set together with HYPERCACHE_OIDC_ISSUER');
  let url: URL | undefined;
  try {
    url = new URL(issuer);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError('HYPERCACHE_OIDC_ISSUER', issuer, 'expected an absolute http(s) URL');
  }
  return {
    issuer,
    audience,
    identityClaim: optional(env, 'HYPERCACHE_OIDC_IDENTITY_CLAIM') ?? 'sub',
    scopeClaim: optional(env, 'HYPERCACHE_OIDC_SCOPE_CLAIM') ?? 'scope',
  };
}

type Env = Record<string, string | undefined>;

/** Unset or empty → default (config.md A.1). */
function optional(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

const intSchema = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().regex(/^\d+$/, 'expected a decimal integer').transform(Number).pipe(z.number().int().min(min).max(max));

const signedIntSchema = z.string().regex(/^-?\d+$/, 'expected a decimal integer').transform(Number).pipe(z.number().int().safe());

function parse<T>(env: Env, name: string, schema: z.ZodType<T, string>, fallback: T): T {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const r = schema.safeParse(raw);
  if (!r.success) throw new ConfigError(name, env[name] ?? '', r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}

function address(env: Env, name: string, fallback: string): ListenAddress {
  const raw = optional(env, name) ?? fallback;
  const a = parseListenAddress(raw);
  if (typeof a === 'string') throw new ConfigError(name, raw, a);
  return a;
}

function duration(env: Env, name: string, fallbackMs: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallbackMs;
  let ms: number;
  try {
    ms = parseGoDurationMs(raw);
  } catch (e) {
    throw new ConfigError(name, raw, (e as Error).message);
  }
  if (ms < 0) throw new ConfigError(name, raw, 'must not be negative');
  return ms;
}

function logLevel(env: Env): LogLevel {
  const raw = optional(env, 'HYPERCACHE_LOG_LEVEL');
  if (raw === undefined) return LogLevel.info;
  const v = raw.toLowerCase();
  if (v === 'warning') return LogLevel.warn;
  if (v in LogLevel) return v as LogLevel;
  throw new ConfigError('HYPERCACHE_LOG_LEVEL', raw, `expected one of ${Object.keys(LogLevel).join(', ')}, warning`);
}

/**
 * Reads and validates every `HYPERCACHE_*` variable this build uses. A malformed value throws
 * {@link ConfigError} naming the variable and value (TS decision: fail fast instead of upstream's
 * silent fallback; docs/decisions.md).
 */
export function loadServerConfig(env: Env = process.env): ServerConfig {
  const nodeId = optional(env, 'HYPERCACHE_NODE_ID') ?? (hostname() || 'node');
  if (/\s|,|@/.test(nodeId)) throw new ConfigError('HYPERCACHE_NODE_ID', nodeId, 'must not contain whitespace, "," or "@"');
  const authToken = env.HYPERCACHE_AUTH_TOKEN === undefined || env.HYPERCACHE_AUTH_TOKEN === '' ? undefined : env.HYPERCACHE_AUTH_TOKEN;
  const authConfigPath = optional(env, 'HYPERCACHE_AUTH_CONFIG');
  const oidcConfig = oidc(env);
  const dist = distTls(env);
  return {
    nodeId,
    apiAddr: address(env, 'HYPERCACHE_API_ADDR', ':8080'),
    mgmtAddr: address(env, 'HYPERCACHE_MGMT_ADDR', ':8081'),
    distAddr: address(env, 'HYPERCACHE_DIST_ADDR', ':7946'),
    logLevel: logLevel(env),
    authToken,
    authConfigPath,
    apiTls: apiTls(env),
    oidc: oidcConfig,
    capacity: parse(env, 'HYPERCACHE_CAPACITY', intSchema(0), 100_000),
    maxBodyBytes: parse(env, 'HYPERCACHE_MAX_BODY_BYTES', intSchema(1, 1 << 30), DEFAULT_MAX_BODY_BYTES),
    maxKeyLength: parse(env, 'HYPERCACHE_MAX_KEY_LENGTH', intSchema(1, 65_536), 1024),
    shutdownTimeoutMs: duration(env, 'HYPERCACHE_SHUTDOWN_TIMEOUT', 30_000),
    evictionIntervalMs: 0,
    expirationIntervalMs: 30 * 60_000,
    evictionAlgorithm: 'lfu',
    seeds: (optional(env, 'HYPERCACHE_SEEDS') ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== ''),
    replication: parse(env, 'HYPERCACHE_REPLICATION', intSchema(1, 1024), 3),
    virtualNodes: parse(env, 'HYPERCACHE_VIRTUAL_NODES', intSchema(1, 65_536), 64),
    readConsistency: consistency(env, 'HYPERCACHE_READ_CONSISTENCY', 'ONE'),
    writeConsistency: consistency(env, 'HYPERCACHE_WRITE_CONSISTENCY', 'QUORUM'),
    sloppyQuorum: bool(env, 'HYPERCACHE_SLOPPY_QUORUM', false),
    hintTtlMs: duration(env, 'HYPERCACHE_HINT_TTL', 30_000),
    hintReplayMs: duration(env, 'HYPERCACHE_HINT_REPLAY', 200),
    hintMaxPerNode: parse(env, 'HYPERCACHE_HINT_MAX_PER_NODE', intSchema(0), 0),
    hintMaxTotal: parse(env, 'HYPERCACHE_HINT_MAX_TOTAL', intSchema(0), 0),
    hintMaxBytes: parse(env, 'HYPERCACHE_HINT_MAX_BYTES', intSchema(0), 0),
    tombstoneTtlMs: duration(env, 'HYPERCACHE_TOMBSTONE_TTL', 24 * 3_600_000),
    tombstoneSweepMs: duration(env, 'HYPERCACHE_TOMBSTONE_SWEEP', 60_000),
    distTimeoutMs: duration(env, 'HYPERCACHE_DIST_TIMEOUT', 5_000),
    distCompressionThresholdBytes: parse(env, 'HYPERCACHE_DIST_COMPRESSION_THRESHOLD', intSchema(0), 0),
    distBatchMaxOps: parse(env, 'HYPERCACHE_DIST_BATCH_MAX_OPS', intSchema(0, 4_096), 256),
    distTls: dist,
    heartbeatMs: duration(env, 'HYPERCACHE_HEARTBEAT', 1_000),
    // Negative → 0 (config.md A.2), anything else non-integer is a malformed value.
    indirectProbeK: Math.max(0, parse(env, 'HYPERCACHE_INDIRECT_PROBE_K', signedIntSchema, 2)),
    gossipIntervalMs: duration(env, 'HYPERCACHE_GOSSIP_INTERVAL', 1_000),
    rebalanceIntervalMs: duration(env, 'HYPERCACHE_REBALANCE_INTERVAL', 250),
    merkleSyncIntervalMs: duration(env, 'HYPERCACHE_MERKLE_SYNC_INTERVAL', 10_000),
    merkleSyncPeers: parse(env, 'HYPERCACHE_MERKLE_SYNC_PEERS', intSchema(0, 1024), 1),
    merkleChunkSize: parse(env, 'HYPERCACHE_MERKLE_CHUNK_SIZE', intSchema(1, 1 << 20), 128),
  };
}
