import { hostname } from 'node:os';
import { z } from 'zod';
import { parseByteSize } from './byte-size';
import { parseGoDurationMs } from './go-duration';
import { isUnspecifiedHost, parseListenAddress, type ListenAddress } from './listen-address';

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

/** Read/write consistency levels (dist-protocol.md §5, §7). */
export type ConsistencyLevel = 'ONE' | 'QUORUM' | 'ALL';

/** Default request body cap of the client API: 4 MiB (client-api.md §1). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Variables whose value is a secret: never echoed in an error. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set(['HYPERCACHE_AUTH_TOKEN', 'HYPERCACHE_REDIS_PASSWORD']);

/** Node backends of `HYPERCACHE_BACKEND` (issue 15): today's in-memory cluster, or stateless nodes over Redis. */
export const NodeBackend = { memory: 'memory', redis: 'redis', redisCluster: 'redis-cluster' } as const;
/** Union of the values of {@link NodeBackend}. */
export type NodeBackend = (typeof NodeBackend)[keyof typeof NodeBackend];

// Unset, empty or blank → the default (config.md A.1); otherwise the trimmed text.
const text = z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().optional());

const withDefault = <T>(schema: z.ZodType<T, string>, fallback: T) =>
  text.pipe(z.union([z.undefined().transform(() => fallback), schema]));

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().regex(/^\d+$/, 'expected a decimal integer').transform(Number).pipe(z.number().int().min(min).max(max));

const intOr = (fallback: number, min: number, max?: number) => withDefault(int(min, max), fallback);

const durationMs = z.string().transform((raw, ctx) => {
  try {
    const ms = parseGoDurationMs(raw);
    if (ms >= 0) return ms;
    ctx.addIssue({ code: 'custom', message: 'must not be negative' });
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
  return z.NEVER;
});
const durationOr = (fallbackMs: number) => withDefault(durationMs, fallbackMs);

// A byte size with binary suffixes (`64MiB`, `1GiB`, `512Mi`); unset → undefined (the caller derives a default).
const byteSize = text.transform((raw, ctx): number | undefined => {
  if (raw === undefined) return undefined;
  try {
    return parseByteSize(raw);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

const address = (fallback: string) =>
  text.transform((raw, ctx): ListenAddress => {
    const a = parseListenAddress(raw ?? fallback);
    if (typeof a !== 'string') return a;
    ctx.addIssue({ code: 'custom', message: a });
    return z.NEVER;
  });

const consistency = (fallback: ConsistencyLevel) =>
  withDefault(
    z.string().transform((raw, ctx): ConsistencyLevel => {
      const v = raw.toUpperCase();
      if (v === 'ONE' || v === 'QUORUM' || v === 'ALL') return v;
      ctx.addIssue({ code: 'custom', message: 'expected one of ONE, QUORUM, ALL' });
      return z.NEVER;
    }),
    fallback,
  );

const logLevel = withDefault(
  z.string().transform((raw, ctx): LogLevel => {
    const v = raw.toLowerCase();
    if (v === 'warning') return LogLevel.warn;
    if (v in LogLevel) return v as LogLevel;
    ctx.addIssue({ code: 'custom', message: `expected one of ${Object.keys(LogLevel).join(', ')}, warning` });
    return z.NEVER;
  }),
  LogLevel.info,
);

const nodeId = text.transform((raw, ctx) => {
  const id = raw ?? (hostname() || 'node');
  if (!/\s|,|@/.test(id)) return id;
  ctx.addIssue({ code: 'custom', message: 'must not contain whitespace, "," or "@"' });
  return z.NEVER;
});

const issuer = text.refine((raw) => {
  if (raw === undefined) return true;
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}, 'expected an absolute http(s) URL');

// An advertised `host:port` (a name or address reachable by clients; no unspecified host).
const advertiseAddress = text.transform((raw, ctx): string | undefined => {
  if (raw === undefined) return undefined;
  const a = parseListenAddress(raw);
  if (typeof a === 'string') ctx.addIssue({ code: 'custom', message: a });
  else if (a.port === 0) ctx.addIssue({ code: 'custom', message: 'port must be 1-65535' });
  else if (raw.startsWith(':') || isUnspecifiedHost(a.host)) ctx.addIssue({ code: 'custom', message: 'expected host:port with a host clients can reach' });
  else return raw;
  return z.NEVER;
});

const positiveDurationOr = (fallbackMs: number) =>
  durationOr(fallbackMs).refine((ms) => ms > 0, 'must be greater than 0');

/**
 * Topology route and key-change stream (issue 17, docs/decisions.md T-rows): how clients reach
 * this node's API, the `/v1/events` replay buffer and its heartbeat period.
 */
const clientStreamEnv = {
  HYPERCACHE_API_ADVERTISE_ADDR: advertiseAddress,
  HYPERCACHE_EVENTS_BUFFER: intOr(10_000, 1, 10_000_000),
  HYPERCACHE_EVENTS_HEARTBEAT: positiveDurationOr(5_000),
  // Bytes of events one subscriber may have waiting before it is cut off (`reset` overflow).
  HYPERCACHE_EVENTS_QUEUE: byteSize.refine((b) => b === undefined || b >= 1024, 'must be at least 1KiB'),
};

const bool = (fallback: boolean) =>
  withDefault(
    z.string().transform((raw, ctx) => {
      const v = raw.toLowerCase();
      if (v === 'true' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
      ctx.addIssue({ code: 'custom', message: 'expected true or false' });
      return z.NEVER;
    }),
    fallback,
  );

// ---- Redis backends (issue 15): their own group, checked together in the superRefine below ----

/** `HYPERCACHE_WRITE_COORDINATOR`: who coordinates a write of a key (docs/decisions.md F15). */
const writeCoordinator = withDefault(
  z.string().transform((raw, ctx): 'primary' | 'owner' => {
    const v = raw.toLowerCase();
    if (v === 'primary' || v === 'owner') return v;
    ctx.addIssue({ code: 'custom', message: 'expected one of primary, owner' });
    return z.NEVER;
  }),
  'owner' as const,
);

const nodeBackend = withDefault(
  z.string().transform((raw, ctx): NodeBackend => {
    const v = raw.toLowerCase();
    if (v === 'memory' || v === 'redis' || v === 'redis-cluster') return v;
    ctx.addIssue({ code: 'custom', message: 'expected one of memory, redis, redis-cluster' });
    return z.NEVER;
  }),
  NodeBackend.memory,
);

// redis://[user[:password]@]host[:port][/db] or rediss:// (TLS).
const redisUrl = text.refine((raw) => {
  if (raw === undefined) return true;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return false;
    if (u.hostname === '') return false;
    const db = u.pathname.replace(/^\//, '');
    return db === '' || /^\d+$/.test(db);
  } catch {
    return false;
  }
}, 'expected redis://[user[:password]@]host[:port][/db] or rediss://…');

// host:port,host:port,… (each port 1–65535).
const redisNodes = text.transform((raw, ctx): Array<{ host: string; port: number }> | undefined => {
  if (raw === undefined) return undefined;
  const nodes: Array<{ host: string; port: number }> = [];
  for (const entry of raw.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65_535) {
      ctx.addIssue({ code: 'custom', message: `expected host:port[,host:port…], got ${JSON.stringify(entry)}` });
      return z.NEVER;
    }
    nodes.push({ host: m[1].replace(/^\[|\]$/g, ''), port });
  }
  if (nodes.length > 0) return nodes;
  ctx.addIssue({ code: 'custom', message: 'expected at least one host:port' });
  return z.NEVER;
});

/** The `HYPERCACHE_REDIS_*` variables and `HYPERCACHE_BACKEND` (config.md B.3, issue 15). */
const redisVariables = {
  HYPERCACHE_BACKEND: nodeBackend,
  HYPERCACHE_REDIS_URL: redisUrl,
  HYPERCACHE_REDIS_CLUSTER_NODES: redisNodes,
  // Not trimmed: a password is used byte for byte; only unset or empty means none.
  HYPERCACHE_REDIS_PASSWORD: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  HYPERCACHE_REDIS_TLS: bool(false),
  HYPERCACHE_REDIS_KEY_PREFIX: withDefault(z.string(), 'hypercache:'),
  HYPERCACHE_REDIS_TIMEOUT: withDefault(
    durationMs.pipe(z.number().min(1, 'must be at least 1ms')),
    1_000,
  ),
};

/** The RESP listener (issue 19): unset = off; `:6379` or `host:port` opens it. */
const respEnv = {
  HYPERCACHE_RESP_ADDR: text.transform((raw, ctx): ListenAddress | undefined => {
    if (raw === undefined) return undefined;
    const a = parseListenAddress(raw);
    if (typeof a !== 'string') return a;
    ctx.addIssue({ code: 'custom', message: a });
    return z.NEVER;
  }),
};

/**
 * The one schema of every `HYPERCACHE_*` variable (config.md A.2): each field parses one
 * variable (name = key), pairs that go together are checked at the end, and a parse reports
 * every bad variable at once.
 */
export const envSchema = z
  .object({
    HYPERCACHE_NODE_ID: nodeId,
    HYPERCACHE_API_ADDR: address(':8080'),
    HYPERCACHE_MGMT_ADDR: address(':8081'),
    HYPERCACHE_DIST_ADDR: address(':7946'),
    HYPERCACHE_LOG_LEVEL: logLevel,
    // Not trimmed: a token is used byte for byte; only unset or empty means none.
    HYPERCACHE_AUTH_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
    HYPERCACHE_AUTH_CONFIG: text,
    HYPERCACHE_API_TLS_CERT: text,
    HYPERCACHE_API_TLS_KEY: text,
    HYPERCACHE_API_TLS_CLIENT_CA: text,
    HYPERCACHE_OIDC_ISSUER: issuer,
    HYPERCACHE_OIDC_AUDIENCE: text,
    HYPERCACHE_OIDC_IDENTITY_CLAIM: withDefault(z.string(), 'sub'),
    HYPERCACHE_OIDC_SCOPE_CLAIM: withDefault(z.string(), 'scope'),
    HYPERCACHE_CAPACITY: intOr(100_000, 0),
    HYPERCACHE_MAX_MEMORY: byteSize,
    HYPERCACHE_MAX_BODY_BYTES: intOr(DEFAULT_MAX_BODY_BYTES, 1, 1 << 30),
    HYPERCACHE_MAX_KEY_LENGTH: intOr(1024, 1, 65_536),
    HYPERCACHE_SHUTDOWN_TIMEOUT: durationOr(30_000),
    HYPERCACHE_SEEDS: text.transform((raw) => (raw ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '')),
    HYPERCACHE_REPLICATION: intOr(3, 1, 1024),
    HYPERCACHE_VIRTUAL_NODES: intOr(64, 1, 65_536),
    HYPERCACHE_READ_CONSISTENCY: consistency('ONE'),
    HYPERCACHE_WRITE_CONSISTENCY: consistency('QUORUM'),
    HYPERCACHE_SLOPPY_QUORUM: bool(false),
    HYPERCACHE_WRITE_COORDINATOR: writeCoordinator,
    HYPERCACHE_HINT_TTL: durationOr(30_000),
    HYPERCACHE_HINT_REPLAY: durationOr(200),
    HYPERCACHE_HINT_MAX_PER_NODE: intOr(0, 0),
    HYPERCACHE_HINT_MAX_TOTAL: intOr(0, 0),
    HYPERCACHE_HINT_MAX_BYTES: intOr(0, 0),
    HYPERCACHE_TOMBSTONE_TTL: durationOr(24 * 3_600_000),
    HYPERCACHE_TOMBSTONE_SWEEP: durationOr(60_000),
    HYPERCACHE_DIST_TIMEOUT: durationOr(5_000),
    HYPERCACHE_DIST_COMPRESSION_THRESHOLD: intOr(0, 0),
    HYPERCACHE_DIST_BATCH_MAX_OPS: intOr(256, 0, 4_096),
    HYPERCACHE_DIST_TLS_CERT: text,
    HYPERCACHE_DIST_TLS_KEY: text,
    HYPERCACHE_DIST_TLS_CA: text,
    HYPERCACHE_HEARTBEAT: durationOr(1_000),
    // Negative → 0 (config.md A.2); anything else non-integer is a malformed value.
    HYPERCACHE_INDIRECT_PROBE_K: withDefault(z.string().regex(/^-?\d+$/, 'expected a decimal integer').transform((v) => Math.max(0, Number(v))), 2),
    HYPERCACHE_GOSSIP_INTERVAL: durationOr(1_000),
    HYPERCACHE_REBALANCE_INTERVAL: durationOr(250),
    HYPERCACHE_MERKLE_SYNC_INTERVAL: durationOr(10_000),
    HYPERCACHE_MERKLE_SYNC_PEERS: intOr(1, 0, 1024),
    HYPERCACHE_MERKLE_CHUNK_SIZE: intOr(128, 1, 1 << 20),
    ...clientStreamEnv,
    ...redisVariables,
    ...respEnv,
  })
  .superRefine((e, ctx) => {
    const together = (a: keyof typeof e, b: keyof typeof e) => {
      if (e[a] !== undefined && e[b] === undefined) ctx.addIssue({ code: 'custom', path: [b], message: `must be set together with ${a}` });
    };
    const needs = (dependent: keyof typeof e, a: keyof typeof e, b: keyof typeof e) => {
      if (e[dependent] !== undefined && e[a] === undefined && e[b] === undefined) ctx.addIssue({ code: 'custom', path: [dependent], message: `needs ${a} and ${b}` });
    };
    together('HYPERCACHE_DIST_TLS_KEY', 'HYPERCACHE_DIST_TLS_CERT');
    together('HYPERCACHE_DIST_TLS_CERT', 'HYPERCACHE_DIST_TLS_KEY');
    needs('HYPERCACHE_DIST_TLS_CA', 'HYPERCACHE_DIST_TLS_CERT', 'HYPERCACHE_DIST_TLS_KEY');
    together('HYPERCACHE_API_TLS_KEY', 'HYPERCACHE_API_TLS_CERT');
    together('HYPERCACHE_API_TLS_CERT', 'HYPERCACHE_API_TLS_KEY');
    needs('HYPERCACHE_API_TLS_CLIENT_CA', 'HYPERCACHE_API_TLS_CERT', 'HYPERCACHE_API_TLS_KEY');
    together('HYPERCACHE_OIDC_AUDIENCE', 'HYPERCACHE_OIDC_ISSUER');
    together('HYPERCACHE_OIDC_ISSUER', 'HYPERCACHE_OIDC_AUDIENCE');
    if (e.HYPERCACHE_BACKEND === 'redis' && e.HYPERCACHE_REDIS_URL === undefined) {
      ctx.addIssue({ code: 'custom', path: ['HYPERCACHE_REDIS_URL'], message: 'is required with HYPERCACHE_BACKEND=redis' });
    }
    if (e.HYPERCACHE_BACKEND === 'redis-cluster' && e.HYPERCACHE_REDIS_CLUSTER_NODES === undefined) {
      ctx.addIssue({ code: 'custom', path: ['HYPERCACHE_REDIS_CLUSTER_NODES'], message: 'is required with HYPERCACHE_BACKEND=redis-cluster' });
    }
    // Also when other variables failed: every bad variable is reported in one pass.
  }, { when: () => true });

/** The parsed variables, one field per `HYPERCACHE_*` name. */
export type ParsedEnv = z.infer<typeof envSchema>;
