import type { Scope } from './scopes';

/** Fastify route-config key of {@link Public}. */
export const PUBLIC_ROUTE_CONFIG = 'hypercachePublic';
/** Fastify route-config key of the scope decorators. */
export const SCOPES_ROUTE_CONFIG = 'hypercacheScopes';

/** Where a route's scope is enforced: the Nest {@link ScopesGuard}, or the fastify `onRequest` hook (hot routes). */
export type Enforcement = 'guard' | 'hook';

/** What the scope decorators store in the route config. */
export interface RouteScopes {
  readonly scopes: readonly Scope[];
  readonly mask: number;
  readonly enforcement: Enforcement;
}

/** The auth rule of one route, decided once at registration. */
export type RouteRule = { readonly kind: 'public' } | { readonly kind: 'scoped'; readonly mask: number; readonly enforcement: Enforcement; readonly declared: boolean };
