import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { Strategy as JwtStrategy, type JwtFromRequestFunction } from 'passport-jwt';
import type { Identity } from '../identity';
import { identityFromClaims } from './oidc-claims';
import type { OidcDiscovery } from './oidc-discovery';
import type { ResolvedOidcOptions } from './oidc-options';

/** A verified token: its identity and its `exp` in ms since the epoch. */
export interface VerifiedToken {
  readonly identity: Identity;
  readonly expiresAtMs: number;
}

/** The minimal request shape the strategy reads: the raw `Authorization` header. */
export interface BearerCarrier {
  readonly headers: { readonly authorization?: string };
}

/** Exactly `Bearer <non-empty token>` (auth.md §5 "Token source"); anything else is no JWT. */
const bearerOnly: JwtFromRequestFunction<BearerCarrier> = (req) => {
  const h = req.headers.authorization;
  return h !== undefined && h.length > 7 && h.startsWith('Bearer ') ? h.slice(7) : null;
};

/**
 * passport-jwt strategy for the IdP (via `@nestjs/passport`): keys come from the discovered JWKS
 * through jwks-rsa (cached; an unknown `kid` refetches the JWKS, rate-limited, which picks up
 * key rotation); signature (the IdP's advertised algorithms), `iss`, `aud`, `exp` and `nbf`
 * are checked by jsonwebtoken with no clock tolerance. {@link validate} maps the claims.
 */
export class OidcJwtStrategy extends PassportStrategy(JwtStrategy, 'hypercache-oidc') {
  constructor(
    private readonly options: ResolvedOidcOptions,
    discovery: OidcDiscovery,
  ) {
    super({
      jwtFromRequest: bearerOnly,
      secretOrKeyProvider: passportJwtSecret({
        jwksUri: discovery.jwksUri,
        cache: true,
        cacheMaxAge: 10 * 60_000,
        rateLimit: true,
        jwksRequestsPerMinute: options.jwksRequestsPerMinute,
        timeout: options.timeoutMs,
      }),
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [...discovery.algorithms] as never,
      ignoreExpiration: false,
    });
  }

  /** Claims → identity and the token's expiry; `false` makes passport fail the request (→ 401). */
  validate(payload: Record<string, unknown>): VerifiedToken | false {
    const identity = identityFromClaims(payload, this.options.identityClaim, this.options.scopeClaim);
    if (identity === undefined) return false;
    return { identity, expiresAtMs: typeof payload.exp === 'number' ? payload.exp * 1000 : Number.POSITIVE_INFINITY };
  }
}
