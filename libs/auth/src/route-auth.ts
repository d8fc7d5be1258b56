import type { Scope } from './scopes';

/** Fastify route-config key of {@link Public}. */
export const PUBLIC_ROUTE_CONFIG = 'hypercachePublic';
/** Fastify route-config key of {@link RequireScopes}. */
export const SCOPES_ROUTE_CONFIG = 'hypercacheScopes';

/** What {@link RequireScopes} stores in the route config. */
export interface RouteScopes {
  readonly scopes: readonly Scope[];
  readonly mask: number;
}

/** The auth rule of one route, decided once at registration. */
export type RouteRule = { readonly kind: 'public' } | { readonly kind: 'scoped'; readonly mask: number; readonly declared: boolean };
