import type { Socket } from 'node:net';
import { CertIdentitySet, type CertIdentityEntry } from './cert-identity-set';
import { ForbiddenError, UnauthorizedError } from './errors';
import { ANONYMOUS, type Identity } from './identity';
import type { OidcVerifier } from './oidc/oidc-verifier';
import { StaticTokenSet, type TokenEntry } from './static-token-set';

/** Inputs of an {@link AuthPolicy}. */
export interface AuthPolicyOptions {
  /** Bearer tokens (step 1). */
  tokens?: readonly TokenEntry[];
  /** Verified client-certificate CNs (step 3). */
  certIdentities?: readonly CertIdentityEntry[];
  /** JWT verify hook (step 4). */
  oidc?: OidcVerifier;
  /** Anonymous mode (step 5): every unresolved request is `anonymous` with all scopes. Default false. */
  allowAnonymous?: boolean;
}

const UNAUTHORIZED = new UnauthorizedError();
const FORBIDDEN = new ForbiddenError();

/**
 * The one auth policy of a listener (auth.md §4): resolves credentials to an {@link Identity}
 * (static bearer tokens → verified mTLS CN → OIDC JWT → anonymous, first match wins) and decides
 * a route's scope requirement ({@link check}). Plain class: the fastify hook and the Nest guard
 * both call it, so there is one decision for every route.
 */
export class AuthPolicy {
  readonly #tokens: StaticTokenSet;
  readonly #certs: CertIdentitySet;
  readonly #oidc: OidcVerifier | undefined;
  readonly #anonymous: Identity | undefined;

  constructor(o: AuthPolicyOptions = {}) {
    this.#tokens = new StaticTokenSet(o.tokens ?? []);
    this.#certs = new CertIdentitySet(o.certIdentities ?? []);
    this.#oidc = o.oidc;
    this.#anonymous = o.allowAnonymous === true ? ANONYMOUS : undefined;
  }

  /** A policy with one token granting all scopes (the legacy token, the peer token) or, with none, anonymous mode. */
  static singleToken(token: string | undefined, id = 'default'): AuthPolicy {
    if (token === undefined || token === '') return new AuthPolicy({ allowAnonymous: true });
    return new AuthPolicy({ tokens: [{ id, token, scopes: ['read', 'write', 'admin'] }] });
  }

  /** The identity of unresolved requests: {@link ANONYMOUS} in anonymous mode, else undefined. */
  get anonymousIdentity(): Identity | undefined {
    return this.#anonymous;
  }

  /**
   * True when every request is anonymous with all scopes whatever it carries (anonymous mode
   * and nothing that could resolve to a narrower identity): listeners then skip the auth hook.
   */
  get isOpen(): boolean {
    return this.#anonymous !== undefined && this.#tokens.size === 0 && this.#certs.size === 0 && this.#oidc === undefined;
  }

  /** True when credentials can be checked at all (tokens, CNs or OIDC configured). */
  get hasCredentials(): boolean {
    return this.#tokens.size > 0 || this.#certs.size > 0 || this.#oidc !== undefined;
  }

  /**
   * Resolves a request's credentials. Synchronous unless a bearer value matched no static token
   * and OIDC is configured (then a promise of the JWT verification). Undefined = no identity (401).
   */
  resolve(authorization: string | undefined, socket: Socket | undefined): Identity | undefined | Promise<Identity | undefined> {
    const byToken = this.#tokens.resolve(authorization);
    if (byToken !== undefined) return byToken;
    const byCert = this.#certs.resolve(socket);
    if (byCert !== undefined) return byCert;
    if (this.#oidc !== undefined && authorization !== undefined) {
      const anonymous = this.#anonymous;
      return this.#oidc.verify(authorization).then((id) => id ?? anonymous);
    }
    return this.#anonymous;
  }

  /**
   * The decision for a route needing every scope in `requiredMask` ({@link scopeMask}):
   * undefined = allowed; {@link UnauthorizedError} (401) without an identity; {@link ForbiddenError}
   * (403) when the identity lacks a scope. Scopes are not hierarchical (auth.md §1).
   */
  check(identity: Identity | undefined, requiredMask: number): UnauthorizedError | ForbiddenError | undefined {
    if (identity === undefined) return UNAUTHORIZED;
    return (identity.mask & requiredMask) === requiredMask ? undefined : FORBIDDEN;
  }
}
