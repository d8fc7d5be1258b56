// Public API of @hypercache/auth (auth.md): only what the apps and the node core import; the
// policy pieces (token sets, OIDC discovery, scopes, policy files) are internal.
export { AuthPolicy } from './auth-policy';
export { identityOf, installAuth, undeclaredRoutes } from './auth.hook';
export { buildClientAuthPolicy } from './build-auth-policy';
export { UnauthorizedError } from './errors';
export { OidcVerifier } from './oidc/oidc-verifier';
export { Public } from './public.decorator';
export { RequireScopes } from './require-scopes.decorator';
export { isScope, scopeMask } from './scopes';
export type { Identity } from './identity';
