import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { SCOPES_ROUTE_CONFIG, type RouteScopes } from './route-auth';
import { canonicalScopes, isScope, scopeMask, type Scope } from './scopes';

const errorBody = () => ({
  type: 'object' as const,
  required: ['error', 'code'],
  properties: { error: { type: 'string' as const }, code: { type: 'string' as const } },
});

/**
 * Declares the scopes a route needs (auth.md §7) — the one auth rule of a route. The listener's
 * auth hook ({@link installAuth}) enforces it before the request is parsed or routed into Nest:
 * no credential → `401 UNAUTHORIZED` (`{error, code}` + `WWW-Authenticate: Bearer`), an identity
 * lacking a scope → `403 FORBIDDEN`. The same decorator documents the bearer scheme and both
 * errors in Swagger:
 *
 * ```ts
 * @Get('stats')
 * @RequireScopes('read')
 * stats() { … }
 * ```
 *
 * Scopes are not hierarchical; listing several requires all of them. Method-level only. A hook
 * rather than a Nest guard: a guard's asynchronous path measurably costs throughput on the hot
 * value routes (docs/decisions.md A2, U5), and one mechanism serves every route.
 */
export const RequireScopes = (...scopes: Scope[]): MethodDecorator => {
  if (scopes.length === 0) throw new TypeError('RequireScopes needs at least one scope');
  for (const s of scopes) if (!isScope(s)) throw new TypeError(`unknown scope ${JSON.stringify(s)}`);
  const canonical = canonicalScopes(scopes);
  const rule: RouteScopes = { scopes: canonical, mask: scopeMask(canonical) };
  return applyDecorators(
    RouteConfig({ [SCOPES_ROUTE_CONFIG]: rule }),
    ApiBearerAuth('bearerAuth'),
    ApiResponse({ status: 401, description: 'no valid credential (bearer token, client certificate or JWT)', schema: errorBody() }),
    ApiResponse({ status: 403, description: `the identity lacks scope ${canonical.join(', ')}`, schema: errorBody() }),
  ) as MethodDecorator;
};
