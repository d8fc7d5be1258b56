import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { InvalidOptionError } from './errors';

/** Record serializer of a Redis backend (config.md B.3): MessagePack (msgpackr, default) or JSON. */
export type RedisSerializerName = 'msgpack' | 'json';

/** Options both Redis backends share. */
export interface RedisCommonOptions {
  /** Prefix of every key this cache writes; `count`/`list`/`clear` only see keys under it. Default `hypercache:`. Non-empty. */
  keyPrefix?: string;
  /** Upper bound of every call, ms: no call waits longer; a late or missing answer → `BackendUnavailableError`. Default 1000. */
  commandTimeoutMs?: number;
  /** TCP connect timeout of one connection attempt, ms. Default 10000 (config.md B.3 dial timeout). */
  connectTimeoutMs?: number;
  /** Record serializer; also the engine's sizer (engine.md §4 "serializer-aware sizing"). Default `msgpack`. */
  serializer?: RedisSerializerName;
  /** ioredis `maxRetriesPerRequest` (config.md B.3 "max retries"). The backend never queues or resends commands across reconnects (decisions B5), so this only bounds ioredis' own retries. Default 1; every call stays bounded by `commandTimeoutMs`. */
  maxRetriesPerRequest?: number;
  /** Item cap reported by `capacity()`; 0 = unlimited (config.md B.3; enforcement is Redis `maxmemory`, decisions B8). */
  capacity?: number;
  /** Password (AUTH). */
  password?: string;
  /** ACL user name (AUTH user password). */
  username?: string;
  /** TLS: `true` for defaults, or node `tls.connect` options (CA, servername, …). */
  tls?: boolean | TlsOptions;
}

/** Options of {@link createRedisBackend}: a `url`, or host/port/db fields (not both). */
export interface RedisBackendOptions extends RedisCommonOptions {
  /** `redis://[user[:password]@]host[:port][/db]` or `rediss://…` (TLS). */
  url?: string;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 6379. */
  port?: number;
  /** Database index, default 0. */
  db?: number;
}

/** One Redis Cluster seed node. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** Options of {@link createRedisClusterBackend}. */
export interface RedisClusterBackendOptions extends RedisCommonOptions {
  /** Seed nodes (any subset of the cluster), or a `host:port,host:port` string ({@link parseRedisClusterNodes}). */
  nodes: readonly RedisNodeAddress[] | string;
}

/** {@link RedisCommonOptions} with every default filled in and checked. */
export interface ResolvedRedisCommonOptions {
  keyPrefix: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  serializer: RedisSerializerName;
  maxRetriesPerRequest: number;
  capacity: number;
  username: string | undefined;
  password: string | undefined;
  tls: TlsOptions | undefined;
}

/** Resolved {@link RedisBackendOptions}. */
export interface ResolvedRedisBackendOptions extends ResolvedRedisCommonOptions {
  host: string;
  port: number;
  db: number;
}

/** Resolved {@link RedisClusterBackendOptions}. */
export interface ResolvedRedisClusterBackendOptions extends ResolvedRedisCommonOptions {
  nodes: RedisNodeAddress[];
}

/** Default key prefix. */
export const DEFAULT_REDIS_KEY_PREFIX = 'hypercache:';
/** Default command timeout, ms. */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * Parses `host:port,host:port,…` (whitespace around entries ignored; IPv6 as `[::1]:7000`) into
 * seed nodes. Throws `InvalidOptionError` naming `option` (default `nodes`) on an empty list or a
 * malformed entry.
 */
export function parseRedisClusterNodes(text: string, option = 'nodes'): RedisNodeAddress[] {
  if (typeof text !== 'string') throw new InvalidOptionError(option, text, 'must be a host:port,host:port list');
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  if (entries.length === 0) throw new InvalidOptionError(option, text, 'must list at least one host:port');
  return entries.map((entry) => {
    const m = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(entry);
    const port = m === null ? NaN : Number(m[3]);
    if (m === null || !isPort(port)) throw new InvalidOptionError(option, text, `has a malformed entry ${JSON.stringify(entry)} (want host:port)`);
    return { host: m[1] ?? m[2], port };
  });
}

/** Resolves single-node options in one place; a bad value → `InvalidOptionError` naming the option. */
export function resolveRedisBackendOptions(o: RedisBackendOptions = {}): ResolvedRedisBackendOptions {
  if (o === null || typeof o !== 'object') throw new InvalidOptionError('options', o, 'must be an object');
  const common = resolveCommon(o);
  if (o.url !== undefined) {
    for (const f of ['host', 'port', 'db', 'username', 'password'] as const) {
      if (o[f] !== undefined) throw new InvalidOptionError('url', o.url, `cannot be combined with ${f}`);
    }
    return { ...common, ...parseRedisUrl(o.url, common.tls) };
  }
  const host = o.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim().length === 0) throw new InvalidOptionError('host', host, 'must be a non-empty string');
  const port = o.port ?? 6379;
  if (!isPort(port)) throw new InvalidOptionError('port', port, 'must be an integer in 1..65535');
  const db = o.db ?? 0;
  if (!Number.isInteger(db) || db < 0) throw new InvalidOptionError('db', db, 'must be a non-negative integer');
  return { ...common, host, port, db };
}

/** Resolves cluster options in one place; a bad value → `InvalidOptionError` naming the option. */
export function resolveRedisClusterBackendOptions(o: RedisClusterBackendOptions): ResolvedRedisClusterBackendOptions {
  if (o === null || typeof o !== 'object') throw new InvalidOptionError('options', o, 'must be an object');
  const common = resolveCommon(o);
  const raw = o.nodes;
  let nodes: RedisNodeAddress[];
  if (typeof raw === 'string') nodes = parseRedisClusterNodes(raw);
  else if (Array.isArray(raw) && raw.length > 0) {
    nodes = raw.map((n: RedisNodeAddress) => {
      if (n === null || typeof n !== 'object' || typeof n.host !== 'string' || n.host.length === 0 || !isPort(n.port)) {
        throw new InvalidOptionError('nodes', JSON.stringify(raw), 'must be {host, port} entries with a port in 1..65535');
      }
      return { host: n.host, port: n.port };
    });
  } else throw new InvalidOptionError('nodes', raw, 'is required (a non-empty {host, port} list or a host:port,… string)');
  return { ...common, nodes };
}

function resolveCommon(o: RedisCommonOptions): ResolvedRedisCommonOptions {
  const keyPrefix = o.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  if (typeof keyPrefix !== 'string' || keyPrefix.length === 0) throw new InvalidOptionError('keyPrefix', keyPrefix, 'must be a non-empty string');
  const commandTimeoutMs = positiveInt('commandTimeoutMs', o.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS);
  const connectTimeoutMs = positiveInt('connectTimeoutMs', o.connectTimeoutMs ?? 10_000);
  const serializer = o.serializer ?? 'msgpack';
  if (serializer !== 'msgpack' && serializer !== 'json') throw new InvalidOptionError('serializer', serializer, "must be 'msgpack' or 'json'");
  const maxRetriesPerRequest = o.maxRetriesPerRequest ?? 1;
  if (!Number.isInteger(maxRetriesPerRequest) || maxRetriesPerRequest < 0) throw new InvalidOptionError('maxRetriesPerRequest', maxRetriesPerRequest, 'must be a non-negative integer');
  const capacity = o.capacity ?? 0;
  if (!Number.isInteger(capacity) || capacity < 0) throw new InvalidOptionError('capacity', capacity, 'must be a non-negative integer (capacity cannot be negative)');
  if (o.username !== undefined && typeof o.username !== 'string') throw new InvalidOptionError('username', o.username, 'must be a string');
  if (o.password !== undefined && typeof o.password !== 'string') throw new InvalidOptionError('password', '(hidden)', 'must be a string');
  let tls: TlsOptions | undefined;
  if (o.tls === true) tls = {};
  else if (o.tls === undefined || o.tls === false) tls = undefined;
  else if (typeof o.tls === 'object' && o.tls !== null) tls = o.tls;
  else throw new InvalidOptionError('tls', o.tls, 'must be a boolean or tls.connect options');
  return { keyPrefix, commandTimeoutMs, connectTimeoutMs, serializer, maxRetriesPerRequest, capacity, username: o.username, password: o.password, tls };
}

function parseRedisUrl(url: string, tls: TlsOptions | undefined): Pick<ResolvedRedisBackendOptions, 'host' | 'port' | 'db' | 'username' | 'password' | 'tls'> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidOptionError('url', redact(url), 'must be a redis:// or rediss:// URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new InvalidOptionError('url', redact(url), 'must use redis:// or rediss://');
  if (u.hostname.length === 0) throw new InvalidOptionError('url', redact(url), 'must name a host');
  const port = u.port === '' ? 6379 : Number(u.port);
  if (!isPort(port)) throw new InvalidOptionError('url', redact(url), 'has a port outside 1..65535');
  const path = u.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!/^\d*$/.test(path) || !Number.isInteger(db)) throw new InvalidOptionError('url', redact(url), 'has a database path that is not a non-negative integer');
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return {
    host,
    port,
    db,
    username: u.username === '' ? undefined : decodeURIComponent(u.username),
    password: u.password === '' ? undefined : decodeURIComponent(u.password),
    tls: u.protocol === 'rediss:' ? (tls ?? {}) : tls,
  };
}

/** The URL with its password replaced, for error messages. */
function redact(url: string): string {
  return String(url).replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

function positiveInt(option: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new InvalidOptionError(option, v, 'must be a positive integer (ms)');
  return v;
}

function isPort(p: unknown): p is number {
  return typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65_535;
}
