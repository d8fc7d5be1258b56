import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Identity } from '../identity';
import { discoverOidc, type OidcDiscovery } from './oidc-discovery';
import { OidcJwtStrategy, type BearerCarrier, type VerifiedToken } from './oidc-jwt.strategy';
import { resolveOidcOptions, type OidcOptions, type ResolvedOidcOptions } from './oidc-options';

/** The passport actions a strategy calls to finish; passport's own middleware supplies these too. */
interface StrategyActions {
  success(user: unknown): void;
  fail(): void;
  error(err: unknown): void;
  pass(): void;
  redirect(): void;
}

/**
 * The OIDC verify hook of the auth policy (auth.md §4 step 4, §5): turns a bearer JWT into an
 * identity, or undefined for any failure (bad signature, unknown kid, wrong issuer/audience,
 * expired, missing identity claim, IdP unreachable). Drives the passport strategy directly, the
 * way passport's middleware does, so the same verification runs from the fastify hook and from
 * Nest guards without a second code path.
 *
 * A verified token's identity is cached under the SHA-256 of the token for `verifiedCacheMs`
 * (never past `exp`): a signature check costs ~100 µs, a GET ~20 µs. Only successes are cached;
 * the key is a digest, so the cache holds no bearer secret.
 */
export class OidcVerifier {
  readonly #strategy: OidcJwtStrategy;
  readonly #cache: LRUCache<string, VerifiedToken> | undefined;
  /** Full verifications performed (signature checked): cache misses. */
  verifications = 0;

  private constructor(
    readonly options: ResolvedOidcOptions,
    readonly discovery: OidcDiscovery,
  ) {
    this.#strategy = new OidcJwtStrategy(options, discovery);
    this.#cache = options.verifiedCacheMs > 0 ? new LRUCache({ max: options.verifiedCacheMax }) : undefined;
  }

  /** Discovers the issuer (fatal {@link AuthConfigError} on failure) and builds the verifier. */
  static async create(o: OidcOptions): Promise<OidcVerifier> {
    const options = resolveOidcOptions(o);
    return new OidcVerifier(options, await discoverOidc(options.issuer, options.timeoutMs));
  }

  /** Verifies the JWT carried by `Authorization: Bearer <jwt>`. Never throws. */
  verify(authorization: string | undefined): Promise<Identity | undefined> {
    if (authorization === undefined || !authorization.startsWith('Bearer ')) return Promise.resolve(undefined);
    if (this.#cache === undefined) return this.#verify(authorization).then((v) => v?.identity);
    const key = createHash('sha256').update(authorization).digest('base64');
    const now = this.options.now();
    const hit = this.#cache.get(key);
    if (hit !== undefined && hit.expiresAtMs > now) return Promise.resolve(hit.identity);
    return this.#verify(authorization).then((v) => {
      if (v === undefined) return undefined;
      const until = Math.min(v.expiresAtMs, this.options.now() + this.options.verifiedCacheMs);
      this.#cache!.set(key, { identity: v.identity, expiresAtMs: until });
      return v.identity;
    });
  }

  #verify(authorization: string): Promise<VerifiedToken | undefined> {
    this.verifications++;
    return new Promise((resolve) => {
      const actions: StrategyActions = {
        success: (user) => resolve(user as VerifiedToken),
        fail: () => resolve(undefined),
        error: () => resolve(undefined),
        pass: () => resolve(undefined),
        redirect: () => resolve(undefined),
      };
      const run = Object.assign(Object.create(this.#strategy) as OidcJwtStrategy, actions);
      const req: BearerCarrier = { headers: { authorization } };
      try {
        run.authenticate(req as never, {});
      } catch {
        resolve(undefined);
      }
    });
  }
}
