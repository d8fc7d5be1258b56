import { InvalidClientOptionError } from './errors';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from './retry-policy';

/** A token and, when known, its expiry (epoch ms); the client asks again `refreshSkewMs` before it. */
export interface ProvidedToken {
  readonly token: string;
  readonly expiresAtMs?: number;
}

/** Async bearer-token source, e.g. an OIDC client-credentials grant. Called again before expiry and after a 401. */
export type TokenProvider = (signal?: AbortSignal) => Promise<ProvidedToken | string>;

/** TLS material for `https://` nodes; `cert` + `key` enable mTLS. PEM strings or buffers. */
export interface ClientTlsOptions {
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** Server name for SNI and certificate checks when it differs from the URL host. */
  readonly servername?: string;
  /** Default true. Only for tests against self-signed nodes without a CA at hand. */
  readonly rejectUnauthorized?: boolean;
}

/** Timer functions (injected in tests). */
export interface ClientTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How requests find a node: `topology` = straight to the key's owners; `pinned` = always the first endpoint, which forwards. */
export const RoutingMode = { Topology: 'topology', Pinned: 'pinned' } as const;
/** One of {@link RoutingMode}. */
export type RoutingMode = (typeof RoutingMode)[keyof typeof RoutingMode];

/** Options of {@link HypercacheClient}. Times are in ms. */
export interface HypercacheClientOptions {
  /** Seed client-API base URLs (`http://host:8080`); topology adds the rest. Required. */
  readonly endpoints: string | readonly string[];
  /** Static bearer token. */
  readonly token?: string;
  /** Async token source (wins over `token`). */
  readonly tokenProvider?: TokenProvider;
  /** Ask the provider again this long before the token's expiry. Default 30 000. */
  readonly refreshSkewMs?: number;
  /** TLS / mTLS material for `https://` nodes. */
  readonly tls?: ClientTlsOptions;
  /** Default `topology`. */
  readonly routing?: RoutingMode;
  /** Whole-call deadline, retries included; per-call `timeoutMs` overrides. Default 10 000. */
  readonly timeoutMs?: number;
  /** One attempt's deadline (a hung node costs this much, then the next owner is tried). Default 3 000. */
  readonly attemptTimeoutMs?: number;
  /** Retry policy (see `OperationKind` for what is retried). */
  readonly retry?: RetryOptions;
  /** Background topology refresh; 0 = only on demand. Default 5 000 (floor 200). */
  readonly topologyRefreshIntervalMs?: number;
  /** Read from the primary (default, read-your-writes) or spread reads over every owner. */
  readonly readFrom?: 'primary' | 'any-owner';
  /** Keep-alive connections per node. Default 16. */
  readonly connectionsPerNode?: number;
  /** Epoch ms clock. Default `Date.now`. */
  readonly now?: () => number;
  /** Default the global timers. */
  readonly timers?: ClientTimers;
  /** Jitter source. Default `Math.random`. */
  readonly random?: () => number;
}

/** {@link HypercacheClientOptions} after defaults and checks. */
export interface ResolvedClientOptions {
  readonly endpoints: readonly string[];
  readonly token: string | undefined;
  readonly tokenProvider: TokenProvider | undefined;
  readonly refreshSkewMs: number;
  readonly tls: ClientTlsOptions | undefined;
  readonly routing: RoutingMode;
  readonly timeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly topologyRefreshIntervalMs: number;
  readonly readFrom: 'primary' | 'any-owner';
  readonly connectionsPerNode: number;
  readonly now: () => number;
  readonly timers: ClientTimers;
  readonly random: () => number;
}

const SYSTEM_TIMERS: ClientTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Fills in defaults and rejects nonsense, naming the option. */
export function resolveClientOptions(o: HypercacheClientOptions): ResolvedClientOptions {
  if (o === null || typeof o !== 'object') throw new InvalidClientOptionError('options', o, 'an object');
  const endpoints = (typeof o.endpoints === 'string' ? [o.endpoints] : [...(o.endpoints ?? [])]).map((e) => normalizeBaseUrl(e, 'endpoints'));
  if (endpoints.length === 0) throw new InvalidClientOptionError('endpoints', o.endpoints, 'at least one base URL');
  const positive = (name: string, v: number | undefined, dflt: number, min = 1): number => {
    const x = v ?? dflt;
    if (!Number.isFinite(x) || x < min) throw new InvalidClientOptionError(name, x, `a number ≥ ${min}`);
    return x;
  };
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token === '')) throw new InvalidClientOptionError('token', o.token, 'a non-empty string');
  if (o.tokenProvider !== undefined && typeof o.tokenProvider !== 'function') throw new InvalidClientOptionError('tokenProvider', o.tokenProvider, 'a function');
  const routing = o.routing ?? RoutingMode.Topology;
  if (routing !== 'topology' && routing !== 'pinned') throw new InvalidClientOptionError('routing', routing, "'topology' or 'pinned'");
  const readFrom = o.readFrom ?? 'primary';
  if (readFrom !== 'primary' && readFrom !== 'any-owner') throw new InvalidClientOptionError('readFrom', readFrom, "'primary' or 'any-owner'");
  const interval = o.topologyRefreshIntervalMs ?? 5_000;
  if (!Number.isFinite(interval) || interval < 0) throw new InvalidClientOptionError('topologyRefreshIntervalMs', interval, 'a number ≥ 0');
  if (o.tls?.cert !== undefined && o.tls.key === undefined) throw new InvalidClientOptionError('tls.key', undefined, 'set together with tls.cert');
  return {
    endpoints,
    token: o.token,
    tokenProvider: o.tokenProvider,
    refreshSkewMs: positive('refreshSkewMs', o.refreshSkewMs, 30_000, 0),
    tls: o.tls,
    routing,
    timeoutMs: positive('timeoutMs', o.timeoutMs, 10_000),
    attemptTimeoutMs: positive('attemptTimeoutMs', o.attemptTimeoutMs, 3_000),
    retry: resolveRetryOptions(o.retry),
    topologyRefreshIntervalMs: interval === 0 ? 0 : Math.max(200, interval),
    readFrom,
    connectionsPerNode: positive('connectionsPerNode', o.connectionsPerNode, 16),
    now: o.now ?? Date.now,
    timers: o.timers ?? SYSTEM_TIMERS,
    random: o.random ?? Math.random,
  };
}

/** `http(s)://host:port` without a trailing slash. @throws InvalidClientOptionError naming `option`. */
export function normalizeBaseUrl(raw: unknown, option: string): string {
  if (typeof raw !== 'string') throw new InvalidClientOptionError(option, raw, 'an http(s) URL');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new InvalidClientOptionError(option, raw, 'an http(s) URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidClientOptionError(option, raw, 'an http(s) URL');
  return `${u.protocol}//${u.host}`;
}
