export { CLIENT_AUTHENTICATOR, IS_PUBLIC, PEER_AUTHENTICATOR } from './auth.tokens';
export { identityOf, installBearerAuth } from './bearer-auth.hook';
export type { BearerAuthOptions } from './bearer-auth.hook';
export { PUBLIC_ROUTE_CONFIG, Public } from './public.decorator';
export { ALL_SCOPES, ANONYMOUS, StaticTokenAuthenticator } from './static-token-authenticator';
export type { Identity } from './static-token-authenticator';
