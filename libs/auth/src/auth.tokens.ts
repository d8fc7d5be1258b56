/** DI token of the client API / management {@link AuthPolicy} (one object, shared by both apps). */
export const CLIENT_AUTH_POLICY = Symbol('CLIENT_AUTH_POLICY');
/** DI token of the dist (peer) listener's {@link AuthPolicy} (`HYPERCACHE_AUTH_TOKEN` only). */
export const PEER_AUTH_POLICY = Symbol('PEER_AUTH_POLICY');
/** Metadata key set by {@link Public}. */
export const IS_PUBLIC = 'hypercache:isPublic';
/** Metadata key set by {@link RequireScopes} / {@link RequireScopesInHook}: the required scopes. */
export const REQUIRED_SCOPES = 'hypercache:requiredScopes';
