import { createHash, timingSafeEqual } from 'node:crypto';

/** An authenticated caller (auth.md §1). Scopes arrive with issue 6; the legacy token has all. */
export interface Identity {
  readonly id: string;
  readonly scopes: readonly string[];
}

/** The identity of anonymous (open) mode and of the legacy `HYPERCACHE_AUTH_TOKEN`. */
export const ALL_SCOPES: readonly string[] = Object.freeze(['read', 'write', 'admin']);

const digest = (s: string | Buffer): Buffer => createHash('sha256').update(s).digest();

/**
 * Verifies `Authorization: Bearer <token>` against one shared token (`HYPERCACHE_AUTH_TOKEN`).
 * The comparison is constant-time: both sides are hashed to 32 bytes first, so neither the
 * content nor the length of the configured token leaks through timing.
 */
export class StaticTokenAuthenticator {
  readonly #tokenDigest: Buffer | undefined;
  readonly #identity: Identity;

  /** @param token the shared token; undefined or empty = open mode (every caller allowed). */
  constructor(token: string | undefined, identityId = 'default') {
    this.#tokenDigest = token ? digest(token) : undefined;
    this.#identity = Object.freeze({ id: identityId, scopes: ALL_SCOPES });
  }

  /** True when no token is configured (anonymous mode, all scopes). */
  get isOpen(): boolean {
    return this.#tokenDigest === undefined;
  }

  /**
   * Resolves the `Authorization` header value to an identity, or undefined when it does not
   * carry the configured bearer token. In open mode every caller resolves to `anonymous`.
   */
  authenticate(authorization: string | undefined): Identity | undefined {
    if (this.#tokenDigest === undefined) return ANONYMOUS;
    if (authorization === undefined || authorization.length < 8) return undefined;
    // RFC 6750: the scheme is case-insensitive.
    if (authorization.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
    const presented = authorization.slice(7).trim();
    return timingSafeEqual(digest(presented), this.#tokenDigest) ? this.#identity : undefined;
  }
}

/** The caller in open mode. */
export const ANONYMOUS: Identity = Object.freeze({ id: 'anonymous', scopes: ALL_SCOPES });
