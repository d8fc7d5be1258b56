/** Base of the auth lib's errors; `code` is the spec's wire code (client-api.md §3). */
export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    opts?: ErrorOptions,
  ) {
    super(message, opts);
    this.name = new.target.name;
  }
}

/** No credential resolved to an identity → `401 UNAUTHORIZED` (auth.md §4 step 6). */
export class UnauthorizedError extends AuthError {
  constructor() {
    // One message for every failure: a 401 must not say which credential class failed.
    super('UNAUTHORIZED', 'unauthorized');
  }
}

/** The identity lacks the route's scope → `403 FORBIDDEN`. */
export class ForbiddenError extends AuthError {
  constructor() {
    super('FORBIDDEN', 'forbidden');
  }
}

/**
 * The auth configuration cannot be used (policy file missing/unreadable/invalid, OIDC discovery
 * failed). Fatal at boot: the server exits non-zero, never falls back to open mode (auth.md §8).
 * Messages name the variable and the field, never a secret.
 */
export class AuthConfigError extends AuthError {
  constructor(
    readonly variable: string,
    message: string,
    opts?: ErrorOptions,
  ) {
    super('INTERNAL', `${variable}: ${message}`, opts);
  }
}
