/** DI token of the {@link StaticTokenAuthenticator} guarding client and management routes. */
export const CLIENT_AUTHENTICATOR = Symbol('CLIENT_AUTHENTICATOR');
/** DI token of the authenticator guarding the dist (peer) listener. */
export const PEER_AUTHENTICATOR = Symbol('PEER_AUTHENTICATOR');
/** Metadata key set by {@link Public}. */
export const IS_PUBLIC = 'hypercache:isPublic';
