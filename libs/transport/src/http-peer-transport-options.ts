import { SYSTEM_TIMERS, type Timers } from '@hypercache/loops';
import { InvalidOptionError } from './errors';

/**
 * TLS material of the peer client (dist-protocol.md §17.3 TLSConfig). With `tls` set the client
 * dials `https://` with ALPN forced to `http/1.1`; `ca` replaces the system roots when given;
 * `cert`+`key` are presented as the client certificate (mTLS: the same pair the listener serves).
 * PEM strings or Buffers.
 */
export interface PeerTlsOptions {
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Server name checked against the peer certificate; default the host of the peer address. */
  servername?: string;
}

/** Options of {@link HttpPeerTransport}. Every field is optional; zero means "default" as in §17.3. */
export interface HttpPeerTransportOptions {
  /**
   * Peer token: sent as `Authorization: Bearer <token>` on every call (§17.4). Default none;
   * an empty string also means none (an unset env var). Never logged.
   */
  token?: string;
  /** Whole-request timeout in ms (connect + headers + body), §17.3 ClientTimeout. Default 5 000; 0 = default. */
  timeoutMs?: number;
  /** Cap on a response body in bytes, enforced while reading, §17.3 ResponseLimit. Default 16 MiB; 0 = default. */
  responseLimitBytes?: number;
  /** Gzip `set` bodies whose JSON is larger than this many bytes, §17.3 CompressionThreshold. Default 0 = off. */
  compressionThresholdBytes?: number;
  /** Keep-alive connections per peer address (undici `Pool` `connections`). Default 16; 0 = default. */
  connectionsPerPeer?: number;
  /**
   * Idle keep-alive connections are closed after this many ms unless the peer's `Keep-Alive`
   * hint is shorter. Default 30 000 (below the listener's 60 s IdleTimeout, §17.3, so the client
   * closes first and never races a server-side close); 0 = default.
   */
  keepAliveTimeoutMs?: number;
  /** TLS for every peer (§17.3). Default none: plain `http://`. */
  tls?: PeerTlsOptions;
  /**
   * Most `set`/`remove` operations coalesced into one `POST /internal/batch` call per peer
   * (docs/decisions.md D16). Default 256; 0 = default; -1 = off (one HTTP call per operation).
   */
  batchMaxOps?: number;
  /**
   * Most bytes (`batchOpBytes` estimate) coalesced into one batch call; one operation larger than
   * this travels alone (docs/decisions.md D18). Must stay below the receivers' body limit
   * (`peerBodyLimitBytes`, ≥ 16 MiB) with room for one more operation's envelope.
   * Default 8 MiB; 0 = default.
   */
  batchMaxBytes?: number;
  /**
   * Most batch calls in flight per peer and lane (coordinator / store, see `PeerBatcher`);
   * further operations wait for the next batch. Default 1; 0 = default.
   */
  batchMaxInFlight?: number;
  /** Clock in epoch ms, used to derive `expiresAtMs` for upstream peers that omit it. Default `Date.now`. */
  now?: () => number;
  /**
   * Timers of the per-call deadlines (STYLE.md "injected clock/timers"). Default the system's
   * (`unref()`'d); tests pass `ManualTimers` from `@hypercache/loops/testing`.
   */
  timers?: Timers;
}

/** {@link HttpPeerTransportOptions} with defaults filled in and values checked. */
export interface ResolvedHttpPeerTransportOptions {
  readonly token: string | undefined;
  readonly timeoutMs: number;
  readonly responseLimitBytes: number;
  readonly compressionThresholdBytes: number;
  readonly connectionsPerPeer: number;
  readonly keepAliveTimeoutMs: number;
  readonly tls: PeerTlsOptions | undefined;
  /** 0 = batching off. */
  readonly batchMaxOps: number;
  readonly batchMaxBytes: number;
  readonly batchMaxInFlight: number;
  readonly now: () => number;
  readonly timers: Timers;
}

/** Defaults of {@link HttpPeerTransportOptions} (dist-protocol.md §17.3). */
export const HTTP_PEER_TRANSPORT_DEFAULTS = {
  /** §17.3 ClientTimeout: 5 s per peer request. */
  timeoutMs: 5_000,
  /** §17.3 ResponseLimit: 16 MiB, the same as the listener's BodyLimit. */
  responseLimitBytes: 16 * 1024 * 1024,
  /** §17.3 CompressionThreshold: off (enable decompression everywhere before raising it). */
  compressionThresholdBytes: 0,
  /** Enough parallel replica/forward calls per peer without opening a socket per request. */
  connectionsPerPeer: 16,
  /** Below the listener's 60 s IdleTimeout. */
  keepAliveTimeoutMs: 30_000,
  /** Enough to amortise a call; small enough that one batch stays well under the body limit. */
  batchMaxOps: 256,
  /** Half the 16 MiB minimum peer body limit: a batch never comes near a receiver's cap. */
  batchMaxBytes: 8 * 1024 * 1024,
  /** While a batch is out, the next one fills: batches grow with load instead of calls multiplying. */
  batchMaxInFlight: 1,
} as const;

/** Largest timer period Node accepts (ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Fills in defaults (individually: 0 → default, §17.3) and rejects nonsense with
 * {@link InvalidOptionError} naming the option.
 */
export function resolveHttpPeerTransportOptions(o: HttpPeerTransportOptions = {}): ResolvedHttpPeerTransportOptions {
  const d = HTTP_PEER_TRANSPORT_DEFAULTS;
  const token = o.token === undefined || o.token === '' ? undefined : o.token;
  if (token !== undefined && (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token))) {
    // Value withheld: never echo a token.
    throw new InvalidOptionError('token', '<redacted>', 'must be visible ASCII without spaces');
  }
  if (o.now !== undefined && typeof o.now !== 'function') throw new InvalidOptionError('now', o.now, 'must be a function');
  return {
    token,
    timeoutMs: positiveInt('timeoutMs', o.timeoutMs, d.timeoutMs, MAX_TIMER_MS),
    responseLimitBytes: positiveInt('responseLimitBytes', o.responseLimitBytes, d.responseLimitBytes, 2 ** 32),
    compressionThresholdBytes: nonNegativeInt('compressionThresholdBytes', o.compressionThresholdBytes, d.compressionThresholdBytes),
    connectionsPerPeer: positiveInt('connectionsPerPeer', o.connectionsPerPeer, d.connectionsPerPeer, 1024),
    keepAliveTimeoutMs: positiveInt('keepAliveTimeoutMs', o.keepAliveTimeoutMs, d.keepAliveTimeoutMs, MAX_TIMER_MS),
    tls: resolveTls(o.tls),
    batchMaxOps: o.batchMaxOps === -1 ? 0 : positiveInt('batchMaxOps', o.batchMaxOps, d.batchMaxOps, 4_096),
    batchMaxBytes: positiveInt('batchMaxBytes', o.batchMaxBytes, d.batchMaxBytes, 2 ** 32),
    batchMaxInFlight: positiveInt('batchMaxInFlight', o.batchMaxInFlight, d.batchMaxInFlight, 1024),
    now: o.now ?? Date.now,
    timers: o.timers ?? SYSTEM_TIMERS,
  };
}

function positiveInt(name: string, v: number | undefined, fallback: number, max: number): number {
  if (v === undefined || v === 0) return fallback;
  if (!Number.isInteger(v) || v < 0 || v > max) throw new InvalidOptionError(name, v, `must be an integer in [0, ${max}] (0 = default ${fallback})`);
  return v;
}

function nonNegativeInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < 0) throw new InvalidOptionError(name, v, 'must be a non-negative integer (0 = off)');
  return v;
}

function resolveTls(tls: PeerTlsOptions | undefined): PeerTlsOptions | undefined {
  if (tls === undefined) return undefined;
  if (typeof tls !== 'object' || tls === null) throw new InvalidOptionError('tls', tls, 'must be an object');
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new InvalidOptionError(tls.cert === undefined ? 'tls.cert' : 'tls.key', undefined, 'must be given together with the other half of the pair');
  }
  return { ...tls };
}
