import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { REQUIRED_SCOPES } from './auth.tokens';
import { SCOPES_ROUTE_CONFIG, type Enforcement, type RouteScopes } from './route-auth';
import { canonicalScopes, isScope, scopeMask, type Scope } from './scopes';
import { ScopesGuard } from './scopes.guard';

const errorBody = () => ({
  type: 'object' as const,
  required: ['error', 'code'],
  properties: { error: { type: 'string' as const }, code: { type: 'string' as const } },
});

function scoped(scopes: readonly Scope[], enforcement: Enforcement): MethodDecorator[] {
  if (scopes.length === 0) throw new TypeError('RequireScopes needs at least one scope');
  for (const s of scopes) if (!isScope(s)) throw new TypeError(`unknown scope ${JSON.stringify(s)}`);
  const canonical = canonicalScopes(scopes);
  const rule: RouteScopes = { scopes: canonical, mask: scopeMask(canonical), enforcement };
  const list = canonical.join(', ');
  return [
    SetMetadata(REQUIRED_SCOPES, canonical),
    RouteConfig({ [SCOPES_ROUTE_CONFIG]: rule }),
    ApiBearerAuth('bearerAuth'),
    ApiResponse({ status: 401, description: 'no valid credential (bearer token, client certificate or JWT)', schema: errorBody() }),
    ApiResponse({ status: 403, description: `the identity lacks scope ${list}`, schema: errorBody() }),
  ] as MethodDecorator[];
}

/**
 * Declares the scopes a route needs (auth.md §7) and enforces them with the Nest
 * {@link ScopesGuard}: no credential → `401 UNAUTHORIZED`, an identity lacking a scope →
 * `403 FORBIDDEN` (`{error, code}` + `WWW-Authenticate: Bearer`). Also documents the bearer
 * scheme and both errors in Swagger. This is the decorator for every ordinary route:
 *
 * ```ts
 * @Get('stats')
 * @RequireScopes('read')
 * stats() { … }
 * ```
 *
 * Scopes are not hierarchical; listing several requires all of them. Method-level only.
 */
export const RequireScopes = (...scopes: Scope[]): MethodDecorator =>
  applyDecorators(...scoped(scopes, 'guard'), UseGuards(ScopesGuard)) as MethodDecorator;

/**
 * Same declaration as {@link RequireScopes}, enforced in the listener's fastify `onRequest`
 * hook instead of a Nest guard: same policy, same decision ({@link AuthPolicy.check}), same
 * responses. Only for the hot value routes (`GET/HEAD/PUT/DELETE /v1/cache/:key`), where a
 * guard's asynchronous Nest path measurably costs throughput (docs/decisions.md A2, U5).
 */
export const RequireScopesInHook = (...scopes: Scope[]): MethodDecorator => applyDecorators(...scoped(scopes, 'hook')) as MethodDecorator;
