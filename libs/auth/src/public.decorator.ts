import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { IS_PUBLIC } from './auth.tokens';

/** Fastify route-config flag read by {@link installBearerAuth} at request time. */
export const PUBLIC_ROUTE_CONFIG = 'hypercachePublic';

/**
 * Marks a route as reachable without credentials (e.g. `/healthz`, the OpenAPI document).
 * Sets both the Nest metadata and the fastify route config the auth hook reads, so the check
 * costs one property read per request.
 */
export const Public = (): MethodDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), RouteConfig({ [PUBLIC_ROUTE_CONFIG]: true })) as MethodDecorator;
