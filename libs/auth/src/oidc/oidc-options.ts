/** OIDC settings (auth.md §5; `HYPERCACHE_OIDC_*`). */
export interface OidcOptions {
  /** Issuer URL; discovery is fetched from `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** Expected audience: the token's `aud` must contain it. */
  readonly audience: string;
  /** Claim mapped to the identity ID; default `sub`. */
  readonly identityClaim?: string;
  /** Claim mapped to scopes (space-separated string or string array); default `scope`. */
  readonly scopeClaim?: string;
  /** Discovery and JWKS request timeout, ms; default 5000. */
  readonly timeoutMs?: number;
  /** JWKS fetches allowed per minute for unknown `kid`s (rotation); default 10. */
  readonly jwksRequestsPerMinute?: number;
  /**
   * How long a verified JWT's identity is reused without verifying the signature again, ms;
   * default 60000, never past the token's `exp`; 0 disables the cache. Bounds how long a token
   * signed by a key the IdP has since withdrawn keeps working.
   */
  readonly verifiedCacheMs?: number;
  /** Verified tokens kept (LRU); default 10000. */
  readonly verifiedCacheMax?: number;
  /** Wall clock, ms since the epoch (for the cache); default `Date.now`. */
  readonly now?: () => number;
}

/** {@link OidcOptions} with defaults filled in. */
export type ResolvedOidcOptions = Required<OidcOptions>;

/** Fills in defaults and rejects nonsense, naming the option. */
export function resolveOidcOptions(o: OidcOptions): ResolvedOidcOptions {
  let url: URL;
  try {
    url = new URL(o.issuer);
  } catch {
    throw new TypeError(`issuer must be an absolute URL, got ${JSON.stringify(o.issuer)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`issuer must be an http(s) URL, got ${JSON.stringify(o.issuer)}`);
  if (o.audience === '') throw new TypeError('audience must not be empty');
  const timeoutMs = o.timeoutMs ?? 5_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError(`timeoutMs must be a positive integer, got ${timeoutMs}`);
  const verifiedCacheMs = o.verifiedCacheMs ?? 60_000;
  if (!Number.isInteger(verifiedCacheMs) || verifiedCacheMs < 0) throw new TypeError(`verifiedCacheMs must be a non-negative integer, got ${verifiedCacheMs}`);
  const verifiedCacheMax = o.verifiedCacheMax ?? 10_000;
  if (!Number.isInteger(verifiedCacheMax) || verifiedCacheMax < 1) throw new TypeError(`verifiedCacheMax must be a positive integer, got ${verifiedCacheMax}`);
  return {
    verifiedCacheMs,
    verifiedCacheMax,
    now: o.now ?? Date.now,
    issuer: o.issuer,
    audience: o.audience,
    identityClaim: o.identityClaim || 'sub',
    scopeClaim: o.scopeClaim || 'scope',
    timeoutMs,
    jwksRequestsPerMinute: o.jwksRequestsPerMinute ?? 10,
  };
}
