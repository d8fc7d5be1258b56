/**
 * DI token of the client API / management {@link AuthPolicy} (one object, shared by both apps).
 * The name predates scopes (it held the single-token authenticator); kept so callers need no change.
 */
export const CLIENT_AUTHENTICATOR = Symbol('CLIENT_AUTHENTICATOR');
/** DI token of the dist (peer) listener's {@link AuthPolicy} (`HYPERCACHE_AUTH_TOKEN` only). */
export const PEER_AUTHENTICATOR = Symbol('PEER_AUTHENTICATOR');
/** Metadata key set by {@link Public}. */
export const IS_PUBLIC = 'hypercache:isPublic';
/** Metadata key set by {@link RequireScopes} / {@link RequireScopesInHook}: the required scopes. */
export const REQUIRED_SCOPES = 'hypercache:requiredScopes';
